// SQL shared by both engines for the operations counts (orders/operations/counts.ts); only expressions differ.
import { PENDING_AGE_BUCKETS } from "../orders/operations/counts.js";

/** A CASE expression naming the age bucket of `ageSeconds` (an SQL expression in seconds). */
export function ageBucketCase(ageSeconds: string): string {
  const whens = PENDING_AGE_BUCKETS.filter((b) => b.upToSeconds !== null).map(
    (b) => `WHEN ${ageSeconds} < ${b.upToSeconds} THEN '${b.label}'`,
  );
  return `CASE ${whens.join(" ")} ELSE '${PENDING_AGE_BUCKETS.at(-1)?.label}' END`;
}

/** Placed rows still waiting for delivery: no webhook (or look-up) has said otherwise yet. */
export function awaitingDelivery(orderStatus: string): string {
  return `lower(COALESCE(delivery_status, ${orderStatus}, '')) = 'pending'`;
}

/** Rows carrying an operator alert are few; the scan is bounded by the metrics' cache (one count per 10 s). */
export const NEEDING_OPERATOR_SQL = "SELECT alert, count(*) AS n FROM orders WHERE alert IS NOT NULL GROUP BY alert";
