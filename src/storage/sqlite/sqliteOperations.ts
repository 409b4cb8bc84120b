// The operations counts on SQLite (instants are epoch ms; the one process's clock is the database's).
import {
  alertCounts,
  AWAITING_DELIVERY_WINDOW_MS,
  bucketCounts,
  type OperationsCounts,
} from "../../orders/operations/counts.js";
import { ageBucketCase, awaitingDelivery, NEEDING_OPERATOR_SQL } from "../operationsSql.js";
import { int, intOrNull, text } from "./columns.js";
import type { StatementCache } from "./statements.js";

const PENDING_SQL = `SELECT ${ageBucketCase("(($now - created_at) / 1000)")} AS bucket, count(*) AS n, min(created_at) AS oldest
  FROM orders WHERE state = 'PENDING' GROUP BY bucket`;
const AWAITING_SQL = `SELECT count(*) AS n, min(COALESCE(placed_at, created_at)) AS oldest FROM orders
  WHERE state = 'PLACED' AND created_at > ? AND ${awaitingDelivery("json_extract(order_data, '$.deliveryStatus')")}`;

export function operationsCountsSqlite(statements: StatementCache, now: number): OperationsCounts {
  const alerts = statements
    .get(NEEDING_OPERATOR_SQL)
    .all()
    .map((row) => ({ alert: text(row, "alert"), n: int(row, "n") }));
  const pending = statements.get(PENDING_SQL).all({ now });
  const oldest = pending.reduce<number | null>((min, row) => {
    const at = intOrNull(row, "oldest");
    return at === null ? min : min === null ? at : Math.min(min, at);
  }, null);
  const awaiting = statements.get(AWAITING_SQL).get(now - AWAITING_DELIVERY_WINDOW_MS);
  const awaitingOldest = awaiting === undefined ? null : intOrNull(awaiting, "oldest");
  return {
    needingOperator: alertCounts(alerts),
    pendingByAge: bucketCounts(pending.map((row) => ({ bucket: text(row, "bucket"), n: int(row, "n") }))),
    oldestPendingAgeSeconds: oldest === null ? null : Math.max(0, Math.round((now - oldest) / 1000)),
    awaitingDelivery: awaiting === undefined ? 0 : int(awaiting, "n"),
    oldestAwaitingDeliveryAgeSeconds:
      awaitingOldest === null ? null : Math.max(0, Math.round((now - awaitingOldest) / 1000)),
  };
}
