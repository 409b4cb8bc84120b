// What the ledger tells an operator at a glance: the alert conditions that live in rows (orders needing a person,
// the pending backlog by age, delayed orders still waiting for their delivery callback). Bounded enums only.
import type { AlertReason } from "../placement/evidence.js";

export const ALERT_REASONS: readonly AlertReason[] = ["order_needs_operator", "po_number_held_by_different_order"];

/** Age buckets of PENDING rows, by the time since they were claimed. Upper bounds in seconds (last: unbounded). */
export const PENDING_AGE_BUCKETS = [
  { label: "under_five_minutes", upToSeconds: 300 },
  { label: "under_one_hour", upToSeconds: 3_600 },
  { label: "under_one_day", upToSeconds: 86_400 },
  { label: "over_one_day", upToSeconds: null },
] as const;
export type PendingAgeBucket = (typeof PENDING_AGE_BUCKETS)[number]["label"];

/** Placed orders still `pending` delivery are counted over this window (the placed-orders index bounds the scan). */
export const AWAITING_DELIVERY_WINDOW_MS = 7 * 86_400_000;

export interface OperationsCounts {
  /** Rows carrying an operator alert (any state), by reason. */
  needingOperator: Record<AlertReason, number>;
  pendingByAge: Record<PendingAgeBucket, number>;
  /** Seconds since the oldest PENDING row was claimed; null when none is pending. */
  oldestPendingAgeSeconds: number | null;
  /** PLACED within AWAITING_DELIVERY_WINDOW_MS and still `pending` delivery (delayed products wait for a webhook). */
  awaitingDelivery: number;
  /** Seconds since the oldest of those was placed; null when none. */
  oldestAwaitingDeliveryAgeSeconds: number | null;
}

export interface OperationsCountsSource {
  operationsCounts(): Promise<OperationsCounts>;
}

/** Counts by bucket from (bucket, n) rows, every bucket present. */
export function bucketCounts(rows: readonly { bucket: string; n: number }[]): Record<PendingAgeBucket, number> {
  const counts = Object.fromEntries(PENDING_AGE_BUCKETS.map((b) => [b.label, 0])) as Record<PendingAgeBucket, number>;
  for (const row of rows) if (row.bucket in counts) counts[row.bucket as PendingAgeBucket] += row.n;
  return counts;
}

export function alertCounts(rows: readonly { alert: string; n: number }[]): Record<AlertReason, number> {
  const counts = Object.fromEntries(ALERT_REASONS.map((r) => [r, 0])) as Record<AlertReason, number>;
  for (const row of rows)
    if ((ALERT_REASONS as readonly string[]).includes(row.alert)) counts[row.alert as AlertReason] += row.n;
  return counts;
}
