// The operations counts on PostgreSQL, on the database's clock.
import type { Pool } from "pg";
import {
  alertCounts,
  AWAITING_DELIVERY_WINDOW_MS,
  bucketCounts,
  type OperationsCounts,
} from "../../orders/operations/counts.js";
import { ageBucketCase, awaitingDelivery, NEEDING_OPERATOR_SQL } from "../operationsSql.js";

const AGE = "extract(epoch FROM clock_timestamp() - created_at)";
const PENDING_SQL = `SELECT ${ageBucketCase(AGE)} AS bucket, count(*)::int AS n, max(${AGE})::float8 AS oldest
  FROM orders WHERE state = 'PENDING' GROUP BY bucket`;
const AWAITING_SQL = `SELECT count(*)::int AS n, max(extract(epoch FROM clock_timestamp() - COALESCE(placed_at, created_at)))::float8 AS oldest
  FROM orders WHERE state = 'PLACED' AND created_at > clock_timestamp() - $1::int * interval '1 millisecond'
  AND ${awaitingDelivery("order_data->>'deliveryStatus'")}`;

export async function operationsCountsPostgres(pool: Pool): Promise<OperationsCounts> {
  const [alerts, pending, awaiting] = await Promise.all([
    pool.query<{ alert: string; n: string }>(NEEDING_OPERATOR_SQL),
    pool.query<{ bucket: string; n: number; oldest: number | null }>(PENDING_SQL),
    pool.query<{ n: number; oldest: number | null }>(AWAITING_SQL, [AWAITING_DELIVERY_WINDOW_MS]),
  ]);
  const oldest = pending.rows.reduce<number | null>(
    (max, row) => (row.oldest === null ? max : Math.max(max ?? 0, row.oldest)),
    null,
  );
  const awaitingOldest = awaiting.rows[0]?.oldest ?? null;
  return {
    needingOperator: alertCounts(alerts.rows.map((row) => ({ alert: row.alert, n: Number(row.n) }))),
    pendingByAge: bucketCounts(pending.rows),
    oldestPendingAgeSeconds: oldest === null ? null : Math.max(0, Math.round(oldest)),
    awaitingDelivery: awaiting.rows[0]?.n ?? 0,
    oldestAwaitingDeliveryAgeSeconds: awaitingOldest === null ? null : Math.max(0, Math.round(awaitingOldest)),
  };
}
