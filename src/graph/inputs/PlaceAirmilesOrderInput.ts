import { IsOptional, Matches, ValidateNested } from "class-validator";
import { Field, Float, InputType, Int } from "type-graphql";
import type { AirmilesOrderInput } from "../../orders/input.js";
import { AirmilesUserMetaInput } from "./AirmilesUserMetaInput.js";
import { CONTACT, DenominationRule, EmailRule, PoNumberRule, ProductIdRule, QuantityRule, Rules, TagRule } from "./rules.js";

@InputType({ description: "An airmiles order, mirroring Plum's placeOrder fields for airmiles products." })
export class PlaceAirmilesOrderInput implements AirmilesOrderInput {
  @Field(() => Int, { description: "Plum product id of the airmiles programme (from Plum's catalogue)." })
  @Rules(...ProductIdRule())
  productId!: number;

  @Field(() => Int, { defaultValue: 1, description: "Number of items; airmiles products allow 1 per order." })
  @Rules(...QuantityRule())
  quantity!: number;

  @Field(() => Float, { description: "Value to transfer, in the product's currency (e.g. 50 for USD 50 of miles). Positive, at most 2 decimals." })
  @Rules(...DenominationRule())
  denomination!: number;

  @Field(() => String, { description: "E-mail address of the recipient, for Plum's notifications." })
  @Rules(...EmailRule())
  email!: string;

  @Field(() => String, { nullable: true, description: "Recipient's phone number, e.g. \"+1-4705000000\". Optional." })
  @IsOptional()
  @Matches(CONTACT, { message: "contact must be a phone number: digits, optional leading +, spaces, dashes or brackets" })
  contact?: string | null;

  @Field(() => String, { nullable: true, description: "Free-text tag for reporting (at most 100 characters). Optional." })
  @IsOptional()
  @Rules(...TagRule())
  tag?: string | null;

  @Field(() => String, {
    description:
      "Your unique reference for this order and its idempotency key: retrying with the same poNumber never orders twice. 1-100 characters of letters, digits and . _ : / -",
  })
  @Rules(...PoNumberRule())
  poNumber!: string;

  @Field(() => Boolean, { defaultValue: false, description: "Whether Plum e-mails the recipient." })
  notifyReceiverEmail!: boolean;

  @Field(() => Boolean, { defaultValue: false, description: "Whether Plum e-mails the account's admins." })
  notifyAdminEmail!: boolean;

  @Field(() => AirmilesUserMetaInput, { description: "Where the miles are credited." })
  @ValidateNested()
  userMeta!: AirmilesUserMetaInput;
}
