import { DateTimeISOResolver } from "graphql-scalars";
import { Field, ObjectType } from "type-graphql";
import { OrderKind } from "../../orders/orderKind.js";
import { PlaceOrderOutcome } from "../../orders/placeOrderOutcome.js";
import { Order } from "./Order.js";
import { OrderError } from "./OrderError.js";
import "./enums.js";

@ObjectType({
  description:
    "The state of one of your placements, as a retry of the placement mutation with the same poNumber would answer now, without placing or sending anything. Poll this instead of re-running the mutation.",
})
export class Placement {
  @Field(() => String, { description: "Your purchase-order number (the idempotency key)." })
  poNumber!: string;

  @Field(() => OrderKind, { description: "Which mutation placed it: airmiles or top-up." })
  kind!: OrderKind;

  @Field(() => PlaceOrderOutcome, {
    description:
      "REPLAYED once the order exists, PENDING while its outcome is open (ask again later), REJECTED when nothing was placed.",
  })
  outcome!: PlaceOrderOutcome;

  @Field(() => [OrderError], { description: "Why there is no order (yet); empty once it exists." })
  errors!: OrderError[];

  @Field(() => Order, { nullable: true, description: "The order, once it exists at Plum." })
  order!: Order | null;

  @Field(() => DateTimeISOResolver, { description: "When the poNumber was first claimed." })
  createdAt!: Date;

  @Field(() => DateTimeISOResolver, { description: "When the placement last changed." })
  updatedAt!: Date;
}
