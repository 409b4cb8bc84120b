import { DateTimeISOResolver } from "graphql-scalars";
import { Field, InputType } from "type-graphql";
import { OrderKind } from "../../orders/orderKind.js";
import "../types/enums.js";

@InputType({ description: "Narrows `orders`. Every given field must match; omitted fields match everything." })
export class OrderFilter {
  @Field(() => OrderKind, { nullable: true, description: "Only airmiles or only top-up orders." })
  kind?: OrderKind | null;

  @Field(() => String, {
    nullable: true,
    description:
      "The order's current `deliveryStatus` (`delivered`, `pending`, `cancelled`; case-insensitive, `canceled` too).",
  })
  deliveryStatus?: string | null;

  @Field(() => String, { nullable: true, description: "The exact `tag` the order was placed with." })
  tag?: string | null;

  @Field(() => DateTimeISOResolver, { nullable: true, description: "Orders placed at or after this instant." })
  placedFrom?: Date | null;

  @Field(() => DateTimeISOResolver, { nullable: true, description: "Orders placed before this instant (exclusive)." })
  placedTo?: Date | null;
}
