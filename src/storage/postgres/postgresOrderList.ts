// Keyset pages of placed orders on PostgreSQL: (created_at, po_number) descending through the partial list indexes.
// The sort key is created_at in epoch microseconds (exact: extract() is numeric), so no row is skipped or repeated.
import type { ListedOrder, ListScope, OrderListFilter, OrderListQuery } from "../../orders/listing/ports.js";
import { toOrderRecord, type OrderRow } from "./postgresRows.js";
import type { Queryable } from "./transaction.js";

const STATUS = `COALESCE(delivery_status, order_data->>'deliveryStatus')`;
const SORT_KEY = `(extract(epoch FROM created_at) * 1000000)::bigint::text`;
const FROM_SORT_KEY = (param: string) => `(timestamptz 'epoch' + ${param}::bigint * interval '1 microsecond')`;

function where(scope: ListScope, filter: OrderListFilter, values: unknown[]): string {
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const clauses = ["state = 'PLACED'"];
  if ("subject" in scope) clauses.push(`subject = ${param(scope.subject)}`);
  if (filter.kind !== null) clauses.push(`kind = ${param(filter.kind)}`);
  if (filter.deliveryStatus !== null) {
    clauses.push(
      `(CASE lower(trim(${STATUS})) WHEN 'canceled' THEN 'cancelled' ELSE lower(trim(${STATUS})) END) = lower(${param(filter.deliveryStatus)})`,
    );
  }
  if (filter.tag !== null) clauses.push(`COALESCE(order_data->>'tag', request->>'tag') = ${param(filter.tag)}`);
  if (filter.placedFrom !== null) clauses.push(`placed_at >= ${param(filter.placedFrom)}`);
  if (filter.placedTo !== null) clauses.push(`placed_at < ${param(filter.placedTo)}`);
  return clauses.join(" AND ");
}

export async function listPlacedPostgres(
  db: Queryable,
  query: OrderListQuery,
): Promise<{ anchorFound: boolean; rows: ListedOrder[] }> {
  const values: unknown[] = [];
  let clauses = where(query.scope, query.filter, values);
  if (query.after !== null) {
    if (!/^\d{1,19}$/.test(query.after.sortKey)) return { anchorFound: false, rows: [] };
    const anchorValues: unknown[] = [];
    const anchorWhere = where(query.scope, query.filter, anchorValues);
    anchorValues.push(query.after.poNumber, query.after.sortKey);
    const anchor = await db.query(
      `SELECT 1 FROM orders WHERE ${anchorWhere} AND po_number = $${anchorValues.length - 1}
         AND created_at = ${FROM_SORT_KEY(`$${anchorValues.length}`)}`,
      anchorValues,
    );
    if (anchor.rowCount === 0) return { anchorFound: false, rows: [] };
    values.push(query.after.sortKey, query.after.poNumber);
    clauses += ` AND (created_at, po_number) < (${FROM_SORT_KEY(`$${values.length - 1}`)}, $${values.length}::text)`;
  }
  values.push(query.limit);
  const { rows } = await db.query<OrderRow & { sort_key: string }>(
    `SELECT *, ${SORT_KEY} AS sort_key, clock_timestamp() AS db_now FROM orders WHERE ${clauses}
     ORDER BY created_at DESC, po_number DESC LIMIT $${values.length}`,
    values,
  );
  return { anchorFound: true, rows: rows.map((row) => ({ record: toOrderRecord(row), sortKey: row.sort_key })) };
}

export async function countPlacedPostgres(db: Queryable, scope: ListScope, filter: OrderListFilter): Promise<number> {
  const values: unknown[] = [];
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM orders WHERE ${where(scope, filter, values)}`,
    values,
  );
  return rows[0]?.n ?? 0;
}
