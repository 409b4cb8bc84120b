// The caller's Plum budget at the placement mutation. Only a placement that may reach Plum spends it, and a refusal
// never reports an order that exists, or may exist, as "nothing was placed": a retry of a PLACED or finally
// REJECTED poNumber is answered from the ledger (no call to Plum), and a PENDING one stays PENDING.
import { fingerprint } from "./fingerprint.js";
import type { OrderFailure } from "./errorCodes.js";
import { PlaceOrderOutcome } from "./placeOrderOutcome.js";
import type { OrderRecord } from "./orderRecord.js";
import type { PlacementResult } from "./PlacementService.js";
import { placementAnswer } from "./placementStatus.js";
import { toPlaceOrderData, type OrderRequest } from "./toPlaceOrderData.js";

/** Whether placing this request (given the caller's row under its poNumber) may call Plum. */
export function mayReachPlum(existing: OrderRecord | null): boolean {
  if (existing === null) return true;
  if (existing.state === "PENDING") return true;
  return existing.state === "REJECTED" && existing.reopenable;
}

/**
 * The answer when the budget refused a placement that may reach Plum; null: place it anyway (the engine answers
 * without Plum, e.g. PO_NUMBER_CONFLICT for a different order under a pending poNumber).
 */
export function answerWhenRefused(
  request: OrderRequest,
  existing: OrderRecord | null,
  refused: OrderFailure,
): PlacementResult | null {
  if (existing === null || (existing.state === "REJECTED" && existing.reopenable)) {
    // Nothing of this poNumber reached Plum: "nothing was placed" is true, and a retry is safe.
    return { outcome: PlaceOrderOutcome.REJECTED, record: null, errors: [refused] };
  }
  if (existing.state !== "PENDING" || existing.fingerprint !== fingerprint(request.kind, toPlaceOrderData(request)))
    return null;
  // Pending (possibly placed): still pending, with the budget's wait as the honest retry hint.
  const pending = placementAnswer(existing);
  const errors = pending.errors.map((error) => ({
    ...error,
    retryAfterSeconds: refused.retryAfterSeconds ?? error.retryAfterSeconds ?? null,
  }));
  return { outcome: PlaceOrderOutcome.PENDING, record: null, errors };
}
