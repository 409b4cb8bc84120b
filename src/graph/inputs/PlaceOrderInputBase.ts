import { IsOptional } from "class-validator";
import { Field, Float, InputType, Int } from "type-graphql";
import type { BaseOrderInput } from "../../orders/input.js";
import { DenominationRule, EmailRule, PoNumberRule, ProductIdRule, QuantityRule, Rules, TagRule } from "./rules.js";

/**
 * The fields (and rules) both placement inputs share. Decorated so type-graphql copies its fields into the
 * subclasses; no field references it, so the schema does not contain it as a type of its own.
 */
@InputType()
export abstract class PlaceOrderInputBase implements BaseOrderInput {
  @Field(() => Int, { description: "Plum product id from Plum's catalogue (an airmiles programme or a top-up plan)." })
  @Rules(...ProductIdRule())
  productId!: number;

  @Field(() => Int, {
    defaultValue: 1,
    description: "Number of items, 1-10 (Plum's limit per order); airmiles and top-up products allow 1.",
  })
  @Rules(...QuantityRule())
  quantity!: number;

  @Field(() => Float, {
    description:
      "Value in the product's currency (e.g. 50 for USD 50 of miles, 149 for an INR 149 top-up). Greater than 0, at most 1,000,000, at most 2 decimals.",
  })
  @Rules(...DenominationRule())
  denomination!: number;

  @Field(() => String, { description: "E-mail address of the person receiving the reward, for Plum's notifications." })
  @Rules(...EmailRule())
  email!: string;

  @Field(() => String, {
    nullable: true,
    description: "Free-text tag for reporting (at most 100 characters). Optional.",
  })
  @IsOptional()
  @Rules(...TagRule())
  tag?: string | null;

  @Field(() => String, {
    description:
      "Your unique reference for this order and its idempotency key: retrying with the same poNumber never orders twice. 1-100 characters of letters, digits and . _ : / -",
  })
  @Rules(...PoNumberRule())
  poNumber!: string;

  @Field(() => Boolean, { defaultValue: false, description: "Whether Plum e-mails the person receiving the reward." })
  notifyReceiverEmail!: boolean;

  @Field(() => Boolean, { defaultValue: false, description: "Whether Plum e-mails the account's admins." })
  notifyAdminEmail!: boolean;
}
