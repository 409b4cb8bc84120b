import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import { Scope } from "../../auth/caller.js";
import { RequiresScopes } from "../access/RequiresScopes.js";
import { answerWhenRefused, mayReachPlum } from "../../orders/budgetGate.js";
import { OrderKind } from "../../orders/orderKind.js";
import { PlaceOrderOutcome } from "../../orders/placeOrderOutcome.js";
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
  @Mutation(() => PlaceOrderPayload, {
    description: `Places a paid mobile top-up order at Xoxoday Plum.${IDEMPOTENCY}`,
  })
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
  // The caller's row under this poNumber, if any: a poNumber already on record keeps its own answer (a replay of an
  // order placed before the catalogue changed, or a conflict), so the catalogue refuses only new poNumbers.
  const existing = await context.services.callerRow(context.caller.subject, request.input.poNumber);
  if (preflight.failures.length > 0 && existing === null) {
    return toPayload(context.services.placement.refuse(request.kind, preflight.failures));
  }
  // A placement that may reach Plum spends the caller's budget; a refusal never calls an existing order failed.
  if (mayReachPlum(existing)) {
    try {
      context.upstream.take();
    } catch (error) {
      if (!(error instanceof UpstreamRefusedError)) throw error;
      const answer = answerWhenRefused(request, existing, refusedFailure(error));
      if (answer !== null)
        return toPayload(
          answer.outcome === PlaceOrderOutcome.REJECTED
            ? context.services.placement.refuse(request.kind, answer.errors)
            : answer,
        );
    }
  }
  const result = await context.services.placement.place(request, context.caller.subject);
  return toPayload(result);
}
