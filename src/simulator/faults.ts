// Queued faults, consumed in order by the first matching request.
import { z } from "zod";
import type { SimOperation } from "./types.js";

export type FaultOperation =
  | "placeOrder"
  | "getOrderDetails"
  | "getOrderHistory"
  | "getVouchers"
  | "lookupMobileNumber"
  | "getBalance"
  | "tokenRefresh"
  | "any";

/** What the client sees of a slowProcessing request: nothing (until it gives up), a reset socket, or a gateway 502. */
export type SlowProcessingAnswer = "timeout" | "reset" | "502";

/** Which wrong order a lookupAnswersOther fault answers with (otherOrder.ts). */
export type OtherOrderMode = "otherPoNumber" | "otherRecipient";

export type FaultKindSpec =
  | { kind: "latency"; ms: number }
  | { kind: "status"; status: number; body?: unknown }
  | { kind: "createdThen502" }
  | { kind: "statusCheckFailed" }
  | { kind: "resetBeforeProcessing" }
  | { kind: "resetAfterProcessing" }
  | { kind: "timeout"; processed?: boolean }
  | { kind: "rateLimit"; status?: number; penaltySeconds?: number }
  | { kind: "nonJson"; status?: number; processed?: boolean }
  | { kind: "tokenError" }
  /**
   * The operation runs `delayMs` after the request arrived (all business rules and the poNumber check apply then,
   * not on arrival), as a slow Plum keeps working after the client gave up. So with de-duplication on, whichever
   * attempt lands first owns the poNumber: a fast re-send made meanwhile creates the order and the slow attempt is
   * refused (PLE10004, unseen); a re-send after it landed gets PLE10004. `answer` defaults to "timeout". reset() and
   * close() cancel operations still waiting.
   */
  | { kind: "slowProcessing"; delayMs: number; answer?: SlowProcessingAnswer }
  /**
   * getOrderDetails answers status 1 with an order other than the asked one; `mode` defaults to "otherPoNumber".
   * Only look-ups take it: `operation` defaults to "getOrderDetails" and "any" means the next look-up.
   */
  | { kind: "lookupAnswersOther"; mode?: OtherOrderMode };

/**
 * `operation` defaults to "placeOrder" ("getOrderDetails" for lookupAnswersOther), `times` to 1 (Infinity is allowed
 * programmatically). Every kind takes the same `operation` type, so a spec can be re-aimed with a spread.
 */
export type FaultSpec = { operation?: FaultOperation; times?: number } & FaultKindSpec;

interface QueuedFault {
  readonly spec: FaultSpec;
  remaining: number;
}

function matches(spec: FaultSpec, operation: SimOperation): boolean {
  // Answering "another order" only means something for a look-up; other requests leave it queued.
  if (spec.kind === "lookupAnswersOther" && operation !== "getOrderDetails") return false;
  const target = spec.operation ?? (spec.kind === "lookupAnswersOther" ? "getOrderDetails" : "placeOrder");
  if (target === "any")
    return operation === "placeOrder" || operation === "getOrderDetails" || operation === "tokenRefresh";
  return target === operation;
}

export class FaultQueue {
  private queue: QueuedFault[] = [];

  push(spec: FaultSpec): void {
    const remaining = spec.times ?? 1;
    if (remaining > 0) this.queue.push({ spec, remaining });
  }

  /** The first queued fault for this operation, consuming one use of it. */
  take(operation: SimOperation): FaultSpec | undefined {
    if (this.queue.length === 0) return undefined;
    const index = this.queue.findIndex((fault) => matches(fault.spec, operation));
    const fault = this.queue[index];
    if (fault === undefined) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.queue.splice(index, 1);
    return fault.spec;
  }

  pending(): FaultSpec[] {
    return this.queue.map((fault) => fault.spec);
  }

  clear(): void {
    this.queue = [];
  }
}

const common = {
  operation: z
    .enum([
      "placeOrder",
      "getOrderDetails",
      "getOrderHistory",
      "getVouchers",
      "lookupMobileNumber",
      "getBalance",
      "tokenRefresh",
      "any",
    ])
    .optional(),
  times: z.number().int().positive().optional(),
};
const httpStatus = z.number().int().min(100).max(599);
// setTimeout fires at once for anything longer (and warns), which would turn a slow Plum into a fast one.
const MAX_TIMER_MS = 2_147_483_647;

const faultSpecSchema = z.discriminatedUnion("kind", [
  z.object({ ...common, kind: z.literal("latency"), ms: z.number().nonnegative() }),
  z.object({ ...common, kind: z.literal("status"), status: httpStatus, body: z.unknown().optional() }),
  z.object({ ...common, kind: z.literal("createdThen502") }),
  z.object({ ...common, kind: z.literal("statusCheckFailed") }),
  z.object({ ...common, kind: z.literal("resetBeforeProcessing") }),
  z.object({ ...common, kind: z.literal("resetAfterProcessing") }),
  z.object({ ...common, kind: z.literal("timeout"), processed: z.boolean().optional() }),
  z.object({
    ...common,
    kind: z.literal("rateLimit"),
    status: httpStatus.optional(),
    penaltySeconds: z.number().nonnegative().optional(),
  }),
  z.object({ ...common, kind: z.literal("nonJson"), status: httpStatus.optional(), processed: z.boolean().optional() }),
  z.object({ ...common, kind: z.literal("tokenError") }),
  z.object({
    ...common,
    kind: z.literal("slowProcessing"),
    delayMs: z.number().nonnegative().max(MAX_TIMER_MS),
    answer: z.enum(["timeout", "reset", "502"]).optional(),
  }),
  z.object({
    times: common.times,
    // A placeOrder or tokenRefresh target would never be taken.
    operation: z.enum(["getOrderDetails", "any"]).optional(),
    kind: z.literal("lookupAnswersOther"),
    mode: z.enum(["otherPoNumber", "otherRecipient"]).optional(),
  }),
]);

/** Validates a FaultSpec received over HTTP (admin endpoint). */
export function parseFaultSpec(input: unknown): { ok: true; spec: FaultSpec } | { ok: false; error: string } {
  const result = faultSpecSchema.safeParse(input);
  if (!result.success) return { ok: false, error: z.prettifyError(result.error) };
  const spec: FaultSpec = result.data;
  return { ok: true, spec };
}
