import { DateTimeISOResolver } from "graphql-scalars";
import { Directive, Field, Float, ID, Int, ObjectType } from "type-graphql";
import { OrderKind } from "../../orders/orderKind.js";
import { VoucherDetail } from "./VoucherDetail.js";
import "./enums.js";

@Directive('@key(fields: "orderId")')
@ObjectType({
  description:
    "A paid reward order that exists at Xoxoday Plum. Amounts are in the order's currency (`currencyCode`). Fields Plum did not report are null.",
})
export class Order {
  @Field(() => ID, { description: "Plum's order id: the entity key other subgraphs reference." })
  orderId!: string;

  @Field(() => String, {
    nullable: true,
    description: "The caller's purchase-order number (idempotency key); null for orders placed without one.",
  })
  poNumber!: string | null;

  @Field(() => OrderKind, {
    nullable: true,
    description: "Airmiles or top-up; null for orders this subgraph did not place itself.",
  })
  kind!: OrderKind | null;

  @Field(() => Float, { nullable: true, description: "Order total, rounded, before discount." })
  orderTotal!: number | null;

  @Field(() => Float, { nullable: true, description: "Exact, unrounded order total." })
  rawOrderTotal!: number | null;

  @Field(() => Float, { nullable: true, description: "Discount applied, rounded; null when there is no discount." })
  orderDiscount!: number | null;

  @Field(() => Float, { nullable: true, description: "Exact, unrounded discount; null when there is no discount." })
  rawOrderDiscount!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: "Discount in percent (3 means 3%); null when there is no discount.",
  })
  discountPercent!: number | null;

  @Field(() => String, { nullable: true, description: "ISO 4217 currency of the amounts, e.g. USD." })
  currencyCode!: string | null;

  @Field(() => Float, {
    nullable: true,
    description: "Conversion multiplier Plum applied from the product currency to the wallet currency.",
  })
  currencyValue!: number | null;

  @Field(() => Float, { nullable: true, description: "What the company's wallet was actually charged." })
  amountCharged!: number | null;

  @Field(() => String, {
    nullable: true,
    description: "Plum's order lifecycle status, usually `complete`; other values pass through unchanged.",
  })
  orderStatus!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Latest delivery status, lower case: `delivered`, `pending` (delayed products until Plum's callback) or `cancelled`; other values pass through.",
  })
  deliveryStatus!: string | null;

  @Field(() => String, { nullable: true, description: "The free-text tag sent with the order." })
  tag!: string | null;

  @Field(() => Int, { nullable: true, description: "Number of items ordered." })
  quantity!: number | null;

  @Field(() => [VoucherDetail], { description: "The order's items as Plum fulfils them; empty when Plum sent none." })
  voucherDetails!: VoucherDetail[];

  @Field(() => DateTimeISOResolver, { nullable: true, description: "When the order was placed at Plum (UTC)." })
  placedAt!: Date | null;

  @Field(() => DateTimeISOResolver, {
    nullable: true,
    description: "When this subgraph last changed what it knows of the order (UTC).",
  })
  updatedAt!: Date | null;
}
