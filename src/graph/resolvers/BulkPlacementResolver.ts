// Bulk placement: many orders in one call, each with the single mutation's semantics (validated, pre-flighted,
// claimed idempotently by poNumber), answered in input order. Claims are written queued in a few transactions and
// the dispatcher sends them as the shared Plum budget allows, so most items answer PENDING / QUEUED.
import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import { Scope } from "../../auth/caller.js";
import { OrderErrorCode, type OrderFailure } from "../../orders/errorCodes.js";
import { OrderKind } from "../../orders/orderKind.js";
import { PlaceOrderOutcome } from "../../orders/placeOrderOutcome.js";
import { outcomeUnknownFailure } from "../../orders/failures.js";
import type { OrderRequest } from "../../orders/toPlaceOrderData.js";
import { refusedFailure, UpstreamRefusedError } from "../../orders/upstreamBudget.js";
import type { PlacementResult } from "../../orders/PlacementService.js";
import { answerWhenRefused, mayReachPlum } from "../../orders/budgetGate.js";
import type { OrderRecord } from "../../orders/orderRecord.js";
import { RequiresScopes } from "../access/RequiresScopes.js";
import { checkOrder } from "../catalogue/orderChecks.js";
import type { GraphContext } from "../context.js";
import { PlaceAirmilesOrderInput } from "../inputs/PlaceAirmilesOrderInput.js";
import { PlaceTopupOrderInput } from "../inputs/PlaceTopupOrderInput.js";
import { toPayload } from "../toGraph.js";
import { PlaceOrderPayload } from "../types/PlaceOrderPayload.js";

/** The bulk mutations' names: the operation limits score them per item (server/plugins/operationLimits.ts). */
export const BULK_PLACEMENT_FIELDS: ReadonlySet<string> = new Set(["placeAirmilesOrders", "placeTopupOrders"]);

const BULK =
  " Each item is answered like the single mutation (idempotent by poNumber: REPLAYED, PO_NUMBER_CONFLICT, INVALID_INPUT per item; a poNumber repeated within one call is PO_NUMBER_CONFLICT for the later items), in input order. Items are queued for Plum's rate limit and sent in order: most answer PENDING with QUEUED and `retryAfterSeconds`; read `placement(poNumber)` or retry with the same poNumber to see the progress.";

const INPUTS = "The orders, each with its own poNumber; at most BULK_PLACEMENT_MAX (default 500) per call.";

@Resolver()
export class BulkPlacementResolver {
  @RequiresScopes(Scope.write)
  @Mutation(() => [PlaceOrderPayload], { description: `Places many paid airmiles orders at Xoxoday Plum.${BULK}` })
  placeAirmilesOrders(
    @Arg("inputs", () => [PlaceAirmilesOrderInput], { description: INPUTS }) inputs: PlaceAirmilesOrderInput[],
    @Ctx() context: GraphContext,
  ): Promise<PlaceOrderPayload[]> {
    return placeMany(
      inputs.map((input) => ({ kind: OrderKind.AIRMILES, input })),
      context,
    );
  }

  @RequiresScopes(Scope.write)
  @Mutation(() => [PlaceOrderPayload], { description: `Places many paid mobile top-up orders at Xoxoday Plum.${BULK}` })
  placeTopupOrders(
    @Arg("inputs", () => [PlaceTopupOrderInput], { description: INPUTS }) inputs: PlaceTopupOrderInput[],
    @Ctx() context: GraphContext,
  ): Promise<PlaceOrderPayload[]> {
    return placeMany(
      inputs.map((input) => ({ kind: OrderKind.TOPUP, input })),
      context,
    );
  }
}

async function placeMany(requests: OrderRequest[], context: GraphContext): Promise<PlaceOrderPayload[]> {
  const { placement, bulk } = context.services;
  if (requests.length > bulk.maxItems) {
    return requests.map((request) => toPayload(placement.refuse(request.kind, [tooMany(bulk.maxItems)])));
  }
  const answers: (PlacementResult | null)[] = requests.map(() => null);
  const toPlace: { index: number; request: OrderRequest }[] = [];
  const seen = new Set<string>();
  for (const [index, request] of requests.entries()) {
    const refuse = (errors: OrderFailure[]) => (answers[index] = placement.refuse(request.kind, errors));
    const poNumber = request.input.poNumber;
    if (seen.has(poNumber)) {
      refuse([repeatedFailure(index)]);
      continue;
    }
    seen.add(poNumber);
    const { invalid, preflight } = await checkOrder(request, context);
    if (invalid.length > 0) {
      refuse(invalid.map((failure) => atItem(failure, index)));
      continue;
    }
    // The caller's row under this poNumber, read only when an answer depends on it (as in the single mutation).
    let existing: OrderRecord | null | undefined;
    const callerRow = async () =>
      existing === undefined
        ? (existing = await context.services.callerRow(context.caller.subject, poNumber))
        : existing;
    if (preflight.failures.length > 0 && (await callerRow()) === null) {
      refuse(preflight.failures.map((failure) => atItem(failure, index)));
      continue;
    }
    // The caller's bucket is charged per item: a bulk call is as many placements as it holds. A refusal never calls
    // an existing order failed: a replay needs no Plum call, a pending one stays pending (orders/budgetGate.ts).
    try {
      context.upstream.charge?.();
    } catch (error) {
      if (!(error instanceof UpstreamRefusedError)) throw error;
      const row = await callerRow();
      const answer = mayReachPlum(row) ? answerWhenRefused(request, row, refusedFailure(error)) : null;
      if (answer !== null) {
        answers[index] =
          answer.outcome === PlaceOrderOutcome.REJECTED ? placement.refuse(request.kind, answer.errors) : answer;
        continue;
      }
    }
    toPlace.push({ index, request });
  }
  if (toPlace.length > 0) {
    const results = await placement.placeMany(
      toPlace.map((item) => item.request),
      context.caller.subject,
    );
    for (const [position, item] of toPlace.entries()) answers[item.index] = results[position] ?? null;
    bulk.queued();
  }
  // Every item has an answer; should one be missing, it may have been claimed: PENDING, never a failure.
  return answers.map((answer) =>
    toPayload(answer ?? { outcome: PlaceOrderOutcome.PENDING, record: null, errors: [outcomeUnknownFailure(null)] }),
  );
}

/** A failure's field path within the list: `input.x` of item i becomes `inputs.i.x`. */
function atItem(failure: OrderFailure, index: number): OrderFailure {
  const field = failure.field ?? null;
  if (field === null) return failure;
  const rest = field[0] === "input" ? field.slice(1) : field;
  return { ...failure, field: ["inputs", String(index), ...rest] };
}

function repeatedFailure(index: number): OrderFailure {
  return {
    code: OrderErrorCode.PO_NUMBER_CONFLICT,
    message:
      "This poNumber appears earlier in the same call; only the first is placed. Nothing was placed for this item.",
    field: ["inputs", String(index), "poNumber"],
    retryable: false,
  };
}

function tooMany(max: number): OrderFailure {
  return {
    code: OrderErrorCode.INVALID_INPUT,
    message: `At most ${max} orders per call; nothing was placed. Split the list.`,
    field: ["inputs"],
    retryable: false,
  };
}
