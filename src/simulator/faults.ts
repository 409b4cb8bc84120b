// Queued faults, consumed in order by the first matching request.
import { z } from "zod";
import type { SimOperation } from "./types.js";

export type FaultOperation = "placeOrder" | "getOrderDetails" | "tokenRefresh" | "any";

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
  | { kind: "tokenError" };

/** `operation` defaults to "placeOrder", `times` to 1 (Infinity is allowed programmatically). */
export type FaultSpec = { operation?: FaultOperation; times?: number } & FaultKindSpec;

interface QueuedFault {
  readonly spec: FaultSpec;
  remaining: number;
}

function matches(target: FaultOperation, operation: SimOperation): boolean {
  if (target === "any") return operation === "placeOrder" || operation === "getOrderDetails" || operation === "tokenRefresh";
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
    const index = this.queue.findIndex((fault) => matches(fault.spec.operation ?? "placeOrder", operation));
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
  operation: z.enum(["placeOrder", "getOrderDetails", "tokenRefresh", "any"]).optional(),
  times: z.number().int().positive().optional(),
};
const httpStatus = z.number().int().min(100).max(599);

const faultSpecSchema = z.discriminatedUnion("kind", [
  z.object({ ...common, kind: z.literal("latency"), ms: z.number().nonnegative() }),
  z.object({ ...common, kind: z.literal("status"), status: httpStatus, body: z.unknown().optional() }),
  z.object({ ...common, kind: z.literal("createdThen502") }),
  z.object({ ...common, kind: z.literal("statusCheckFailed") }),
  z.object({ ...common, kind: z.literal("resetBeforeProcessing") }),
  z.object({ ...common, kind: z.literal("resetAfterProcessing") }),
  z.object({ ...common, kind: z.literal("timeout"), processed: z.boolean().optional() }),
  z.object({ ...common, kind: z.literal("rateLimit"), status: httpStatus.optional(), penaltySeconds: z.number().nonnegative().optional() }),
  z.object({ ...common, kind: z.literal("nonJson"), status: httpStatus.optional(), processed: z.boolean().optional() }),
  z.object({ ...common, kind: z.literal("tokenError") }),
]);

/** Validates a FaultSpec received over HTTP (admin endpoint). */
export function parseFaultSpec(input: unknown): { ok: true; spec: FaultSpec } | { ok: false; error: string } {
  const result = faultSpecSchema.safeParse(input);
  if (!result.success) return { ok: false, error: z.prettifyError(result.error) };
  const spec: FaultSpec = result.data;
  return { ok: true, spec };
}
