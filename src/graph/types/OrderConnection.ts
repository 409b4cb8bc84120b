import { Field, Int, ObjectType } from "type-graphql";
import { Order } from "./Order.js";

@ObjectType({ description: "Where a page of `orders` ends." })
export class PageInfo {
  @Field(() => Boolean, { description: "True when another page follows: ask again with `after: endCursor`." })
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: "The last edge's cursor; null when the page is empty." })
  endCursor!: string | null;
}

@ObjectType({ description: "One order of a page, with the cursor that continues after it." })
export class OrderEdge {
  @Field(() => String, { description: "Opaque; valid only for the same caller and filter." })
  cursor!: string;

  @Field(() => Order, { description: "The order." })
  node!: Order;
}

@ObjectType({ description: "A page of placed orders, newest first." })
export class OrderConnection {
  @Field(() => [OrderEdge], { description: "This page's orders, newest first." })
  edges!: OrderEdge[];

  @Field(() => PageInfo, { description: "Whether another page follows, and the cursor to ask for it." })
  pageInfo!: PageInfo;

  @Field(() => Int, { description: "Exactly how many orders match the filter (all pages)." })
  totalCount!: number;
}
