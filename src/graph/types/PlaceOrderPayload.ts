import { Field, ObjectType } from "type-graphql";
import { PlaceOrderOutcome } from "../../orders/placeOrderOutcome.js";
import { Order } from "./Order.js";
import { OrderError } from "./OrderError.js";
import "./enums.js";

@ObjectType({
  description:
    "The result of a placement. Expected failures are data here (the router redacts subgraph error messages): check `outcome`, then `errors`.",
})
export class PlaceOrderPayload {
  @Field(() => Order, { nullable: true, description: "The order; null unless it exists at Plum (PLACED or REPLAYED)." })
  order!: Order | null;

  @Field(() => PlaceOrderOutcome, { description: "What the call came to." })
  outcome!: PlaceOrderOutcome;

  @Field(() => [OrderError], { description: "Why there is no order (yet); empty when PLACED or REPLAYED." })
  errors!: OrderError[];
}
