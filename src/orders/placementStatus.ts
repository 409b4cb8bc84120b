// `placement(poNumber)`: what a retry of the placement mutation would answer now, without placing or sending. A
// PENDING row gets the same throttled look-up a read gives it (PlacementService.refresh); nothing else calls Plum.
import type { Caller } from "../auth/caller.js";
import type { CallerRowStore } from "./callerRow.js";
import type { OrderFailure } from "./errorCodes.js";
import { PlaceOrderOutcome } from "./placeOrderOutcome.js";
import { inProgressFailure, outcomeUnknownFailure, queuedFailure } from "./failures.js";
import type { OrderRecord } from "./orderRecord.js";

export interface PlacementAnswer {
  outcome: PlaceOrderOutcome;
  errors: OrderFailure[];
  /** The row as it is now (its order when PLACED). */
  record: OrderRecord;
}

/** Pure: the mutation's answer for a retry of this row (same poNumber, same order), as of the row's read time. */
export function placementAnswer(row: OrderRecord): PlacementAnswer {
  switch (row.state) {
    case "PLACED":
      // A retry never places again: it replays the order.
      return { outcome: PlaceOrderOutcome.REPLAYED, errors: [], record: row };
    case "REJECTED":
      // Reopenable rejections keep their retryable errors: the retry would send it again.
      return { outcome: PlaceOrderOutcome.REJECTED, errors: row.errors, record: row };
    case "PENDING": {
      const inFlight = row.leaseUntil !== null && row.leaseUntil > row.readAt;
      const errors = inFlight
        ? [inProgressFailure()]
        : row.errors.length > 0
          ? row.errors
          : [outcomeUnknownFailure(null)];
      return { outcome: PlaceOrderOutcome.PENDING, errors, record: row };
    }
  }
}

export interface PlacementStatusDeps {
  store: Pick<CallerRowStore, "findByCallerPoNumber">;
  /** The read path's throttled look-up of a PENDING row. */
  refresh: (row: OrderRecord) => Promise<OrderRecord>;
  /** Seconds until a queued row is likely sent (its queue position over the budget). */
  queuedEstimate?: (plumPoNumber: string) => Promise<number>;
}

/**
 * null when the poNumber is unknown, not the caller's, or not a placement (an order learned from Plum). Only the
 * caller's own namespace, admins included: a retry of the mutation claims there, so this answers what it would.
 */
export async function placementStatus(
  deps: PlacementStatusDeps,
  poNumber: string,
  caller: Caller,
): Promise<PlacementAnswer | null> {
  const row = await deps.store.findByCallerPoNumber(caller.subject, poNumber);
  if (row === null || row.source !== "PLACEMENT" || row.kind === null) return null;
  const now = row.state === "PENDING" ? await deps.refresh(row) : row;
  if (now.state === "PENDING" && now.queuedAt && deps.queuedEstimate !== undefined) {
    // Queued: the progress a retry would show (its place in the queue, as an estimate).
    return {
      outcome: PlaceOrderOutcome.PENDING,
      errors: [queuedFailure(await deps.queuedEstimate(now.poNumber))],
      record: now,
    };
  }
  return placementAnswer(now);
}
