// `Order`'s reference resolver: how the router fetches Order fields for other subgraphs (`_entities`).
import { canSee, Scope } from "../../auth/caller.js";
import { requireScopes } from "../authChecker.js";
import type { GraphContext } from "../context.js";
import { toOrder } from "../toGraph.js";
import type { Order } from "../types/Order.js";

export async function resolveOrderReference(reference: Pick<Order, "orderId">, context: GraphContext): Promise<Order | null> {
  requireScopes(context, [Scope.read]);
  const record = await context.ordersById.load(String(reference.orderId));
  return record !== null && canSee(context.caller, record) ? toOrder(record) : null;
}
