import { Matches } from "class-validator";
import { Field, InputType } from "type-graphql";
import { LOYALTY_MEMBER_ID } from "./rules.js";

@InputType({ description: "Airmiles-specific data: where the miles go." })
export class AirmilesUserMetaInput {
  @Field(() => String, {
    description: "The member's loyalty programme account number (1-50 letters, digits or dashes).",
  })
  @Matches(LOYALTY_MEMBER_ID, { message: "loyaltyMemberId must be 1-50 letters, digits or dashes" })
  loyaltyMemberId!: string;
}
