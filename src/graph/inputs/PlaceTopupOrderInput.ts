import { IsOptional, ValidateNested } from "class-validator";
import { Field, Float, InputType, Int } from "type-graphql";
import type { TopupOrderInput } from "../../orders/input.js";
import { DenominationRule, EmailRule, PoNumberRule, ProductIdRule, QuantityRule, Rules, TagRule } from "./rules.js";
import { TopupUserMetaInput } from "./TopupUserMetaInput.js";

@InputType({ description: "A mobile top-up order, mirroring Plum's placeOrder fields for top-up products." })
export class PlaceTopupOrderInput implements TopupOrderInput {
  @Field(() => Int, { description: "Plum product id of the operator's top-up plan (from Plum's catalogue)." })
  @Rules(...ProductIdRule())
  productId!: number;

  @Field(() => Int, { defaultValue: 1, description: "Number of items; top-up products allow 1 per order." })
  @Rules(...QuantityRule())
  quantity!: number;

  @Field(() => Float, { description: "Recharge amount in the product's currency (e.g. 149 for INR 149). Positive, at most 2 decimals." })
  @Rules(...DenominationRule())
  denomination!: number;

  @Field(() => String, { description: "E-mail address of the customer, for Plum's notifications." })
  @Rules(...EmailRule())
  email!: string;

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

  @Field(() => Boolean, { defaultValue: false, description: "Whether Plum e-mails the customer." })
  notifyReceiverEmail!: boolean;

  @Field(() => Boolean, { defaultValue: false, description: "Whether Plum e-mails the account's admins." })
  notifyAdminEmail!: boolean;

  @Field(() => Boolean, {
    defaultValue: false,
    description: "When true, Plum checks that the number belongs to the product's operator and rejects the order otherwise.",
  })
  performOperatorValidation!: boolean;

  @Field(() => TopupUserMetaInput, { description: "The phone number to recharge." })
  @ValidateNested()
  userMeta!: TopupUserMetaInput;
}
