import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import { Scope } from "../../auth/caller.js";
import { RequiresScopes } from "../access/RequiresScopes.js";
import { OrderKind } from "../../orders/errorCodes.js";
import type { OrderRequest } from "../../orders/toPlaceOrderData.js";
import { refusedFailure, UpstreamRefusedError } from "../../orders/upstreamBudget.js";
import type { GraphContext } from "../context.js";
import { PlaceAirmilesOrderInput } from "../inputs/PlaceAirmilesOrderInput.js";
import { PlaceTopupOrderInput } from "../inputs/PlaceTopupOrderInput.js";
import { toPayload } from "../toGraph.js";
import { PlaceOrderPayload } from "../types/PlaceOrderPayload.js";
import { checkOrder } from "../catalogue/orderChecks.js";

const IDEMPOTENCY =
  " Idempotent by `poNumber`: a retry with the same poNumber and the same order never places a second order (it returns REPLAYED, PENDING or the recorded rejection); the same poNumber with a different order is PO_NUMBER_CONFLICT.";

@Resolver()
export class OrderMutationResolver {
  @RequiresScopes(Scope.write)
  @Mutation(() => PlaceOrderPayload, { description: `Places a paid airmiles order at Xoxoday Plum.${IDEMPOTENCY}` })
  placeAirmilesOrder(
    @Arg("input", () => PlaceAirmilesOrderInput) input: PlaceAirmilesOrderInput,
    @Ctx() context: GraphContext,
  ): Promise<PlaceOrderPayload> {
    return place({ kind: OrderKind.AIRMILES, input }, context);
  }

  @RequiresScopes(Scope.write)
  @Mutation(() => PlaceOrderPayload, { description: `Places a paid mobile top-up order at Xoxoday Plum.${IDEMPOTENCY}` })
  placeTopupOrder(
    @Arg("input", () => PlaceTopupOrderInput) input: PlaceTopupOrderInput,
    @Ctx() context: GraphContext,
  ): Promise<PlaceOrderPayload> {
    return place({ kind: OrderKind.TOPUP, input }, context);
  }
}

async function place(request: OrderRequest, context: GraphContext): Promise<PlaceOrderPayload> {
  const { invalid, preflight } = await checkOrder(request, context);
  if (invalid.length > 0) return toPayload(context.services.placement.refuse(request.kind, invalid));
  // A catalogue refusal comes before the claim. A poNumber already on record keeps its own answer (a replay of an
  // order placed before the catalogue changed, or a conflict), so it goes through placement as always.
  if (preflight.failures.length > 0 && !(await context.services.hasPlacement(context.caller.subject, request.input.poNumber))) {
    return toPayload(context.services.placement.refuse(request.kind, preflight.failures));
  }
  // Every placement may reach Plum: refused before anything is claimed, so the same poNumber may be retried.
  try {
    context.upstream.take();
  } catch (error) {
    if (!(error instanceof UpstreamRefusedError)) throw error;
    return toPayload(context.services.placement.refuse(request.kind, [refusedFailure(error)]));
  }
  const result = await context.services.placement.place(request, context.caller.subject);
  return toPayload(result);
}
