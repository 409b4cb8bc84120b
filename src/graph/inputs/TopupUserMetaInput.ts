import { Matches } from "class-validator";
import { Field, InputType } from "type-graphql";
import { PHONE_CODE, PHONE_DIGITS, PlausibleForCountryCode } from "./rules.js";

@InputType({ description: "Top-up-specific data: the phone number to recharge." })
export class TopupUserMetaInput {
  @Field(() => String, { description: 'Country calling code with a leading +, e.g. "+91".' })
  @Matches(PHONE_CODE, { message: "topupPhoneCode must be + followed by 1-4 digits" })
  topupPhoneCode!: string;

  @Field(() => String, {
    description: 'The national number to recharge, digits only, without the country code, e.g. "9857535678".',
  })
  @Matches(PHONE_DIGITS, { message: "topupPhoneNumber must be 4-15 digits" })
  @PlausibleForCountryCode("topupPhoneCode")
  topupPhoneNumber!: string;
}
