// What may reach Plum on one request's behalf: at most `perRequest` calls, each also a token from the caller's
// bucket (the account's Plum budget is shared by every caller). A refusal is thrown before the call is made.
import type { CallerRateLimiter } from "./callerRateLimiter.js";
import { OrderErrorCode, type OrderFailure } from "./errorCodes.js";

export class UpstreamRefusedError extends Error {
  constructor(
    readonly code: "RATE_LIMITED" | "TOO_MANY_UPSTREAM_CALLS",
    /** When the caller's bucket has a token again; null for the per-request cap (a smaller request helps). */
    readonly retryAfterSeconds: number | null,
  ) {
    super(
      code === "RATE_LIMITED"
        ? `Too many requests that reach Plum; retry in ${retryAfterSeconds ?? 1} seconds.`
        : "This request needs too many calls to Plum; ask for fewer orders at once.",
    );
    this.name = "UpstreamRefusedError";
  }
}

/** One request's allowance. `take()` throws UpstreamRefusedError when the call must not be made. */
export interface UpstreamBudget {
  take(): void;
  /**
   * One item of a bulk call: charged to the caller's bucket only (a queued item makes no Plum call in this
   * request, so the per-request cap does not apply). Throws UpstreamRefusedError like take().
   */
  charge?(): void;
}

/** No limit: for callers outside a GraphQL request (tests, the reconciler). */
export const UNLIMITED_UPSTREAM: UpstreamBudget = { take: () => {}, charge: () => {} };

export function requestUpstreamBudget(options: {
  perRequest: number;
  limiter: CallerRateLimiter;
  callerKey: string | null;
}): UpstreamBudget {
  let used = 0;
  return {
    take() {
      if (used >= options.perRequest) throw new UpstreamRefusedError("TOO_MANY_UPSTREAM_CALLS", null);
      const wait = options.callerKey === null ? 0 : options.limiter.take(options.callerKey);
      if (wait > 0) throw new UpstreamRefusedError("RATE_LIMITED", wait);
      used += 1;
    },
    charge() {
      const wait = options.callerKey === null ? 0 : options.limiter.take(options.callerKey);
      if (wait > 0) throw new UpstreamRefusedError("RATE_LIMITED", wait);
    },
  };
}

/** A refusal as a placement's failure: nothing was claimed or sent, so the same poNumber may be retried. */
export function refusedFailure(error: UpstreamRefusedError): OrderFailure {
  return {
    code: OrderErrorCode.RATE_LIMITED,
    message: `${error.message} Nothing was placed; retry with the same poNumber.`,
    retryable: true,
    retryAfterSeconds: error.retryAfterSeconds ?? 1,
  };
}

/**
 * A status read's look-up of a PENDING row, charged to the caller's budget. When the budget refuses, the row is
 * answered as the ledger has it: a pending answer stays true (retryable), and nothing reaches Plum.
 */
export async function refreshWithin<Row>(
  budget: UpstreamBudget,
  row: Row,
  refresh: (row: Row) => Promise<Row>,
): Promise<Row> {
  try {
    budget.take();
  } catch (error) {
    if (error instanceof UpstreamRefusedError) return row;
    throw error;
  }
  return refresh(row);
}
