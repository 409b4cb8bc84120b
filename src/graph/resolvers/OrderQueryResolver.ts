import { Arg, Ctx, ID, Query, Resolver } from "type-graphql";
import { canSee, Scope } from "../../auth/caller.js";
import { RequiresScopes } from "../access/RequiresScopes.js";
import type { GraphContext } from "../context.js";
import { PO_NUMBER } from "../inputs/rules.js";
import { toOrder } from "../toGraph.js";
import { Order } from "../types/Order.js";

@Resolver(() => Order)
export class OrderQueryResolver {
  @RequiresScopes(Scope.read)
  @Query(() => Order, {
    nullable: true,
    description: "An order by Plum's orderId; null when it does not exist or is not yours (orders:admin sees all).",
  })
  async order(@Arg("orderId", () => ID) orderId: string, @Ctx() context: GraphContext): Promise<Order | null> {
    const record = await context.ordersById.load(orderId);
    return record !== null && canSee(context.caller, record) ? toOrder(record) : null;
  }

  @RequiresScopes(Scope.read)
  @Query(() => Order, {
    nullable: true,
    description:
      "The order placed under your poNumber; null while it is pending or when none exists (or it is not yours). Reading a pending order also checks Plum for it.",
  })
  async orderByPoNumber(
    @Arg("poNumber", () => String) poNumber: string,
    @Ctx() context: GraphContext,
  ): Promise<Order | null> {
    if (!PO_NUMBER.test(poNumber)) return null; // cannot exist: not worth a Plum call
    const record = await context.services.reader.byPoNumber(poNumber, context.caller, context.upstream);
    return record !== null && canSee(context.caller, record) ? toOrder(record) : null;
  }
}
