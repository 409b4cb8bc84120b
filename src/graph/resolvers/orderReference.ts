// `Order`'s reference resolver: how the router fetches Order fields for other subgraphs (`_entities`).
import { canSee, Scope } from "../../auth/caller.js";
import type { GraphQLResolveInfo } from "graphql";
import { requireScopes } from "../authChecker.js";
import { hintUncacheable } from "../catalogue/cacheHints.js";
import type { GraphContext } from "../context.js";
import { toOrder } from "../toGraph.js";
import type { Order } from "../types/Order.js";

export async function resolveOrderReference(
  reference: { orderId?: unknown },
  context: GraphContext,
  info: GraphQLResolveInfo,
): Promise<Order | null> {
  requireScopes(context, [Scope.read]);
  // `_entities` may mix products (cacheable) and orders in one field: an order makes the whole answer no-store.
  hintUncacheable(info);
  // A representation is client JSON (`_Any`): a key that is not a scalar names no order (and is no error of ours).
  const { orderId } = reference;
  if (typeof orderId !== "string" && !(typeof orderId === "number" && Number.isFinite(orderId))) return null;
  const record = await context.ordersById.load(String(orderId));
  return record !== null && canSee(context.caller, record) ? toOrder(record) : null;
}
