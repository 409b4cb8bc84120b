import { IsOptional, Matches, ValidateNested } from "class-validator";
import { Field, InputType } from "type-graphql";
import type { AirmilesOrderInput } from "../../orders/input.js";
import { AirmilesUserMetaInput } from "./AirmilesUserMetaInput.js";
import { PlaceOrderInputBase } from "./PlaceOrderInputBase.js";
import { CONTACT } from "./rules.js";

@InputType({ description: "An airmiles order, mirroring Plum's placeOrder fields for airmiles products." })
export class PlaceAirmilesOrderInput extends PlaceOrderInputBase implements AirmilesOrderInput {
  @Field(() => String, { nullable: true, description: 'Recipient\'s phone number, e.g. "+1-4705000000". Optional.' })
  @IsOptional()
  @Matches(CONTACT, {
    message: "contact must be a phone number: digits, optional leading +, spaces, dashes or brackets",
  })
  contact?: string | null;

  @Field(() => AirmilesUserMetaInput, { description: "Where the miles are credited." })
  @ValidateNested()
  userMeta!: AirmilesUserMetaInput;
}
