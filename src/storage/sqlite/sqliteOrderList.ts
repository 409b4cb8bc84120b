// Keyset pages of placed orders on SQLite: (created_at, po_number) descending through the partial list indexes.
import type { SQLInputValue } from "node:sqlite";
import type { ListedOrder, ListScope, OrderListFilter, OrderListQuery } from "../../orders/listing/ports.js";
import { int, type SqliteRow } from "./columns.js";
import { toOrderRecord } from "./sqliteRows.js";
import type { StatementCache } from "./statements.js";

const STATUS = `COALESCE(delivery_status, json_extract(order_data, '$.deliveryStatus'))`;

function where(scope: ListScope, filter: OrderListFilter, values: SQLInputValue[]): string {
  const clauses = ["state = 'PLACED'"];
  if ("subject" in scope) {
    clauses.push("subject = ?");
    values.push(scope.subject);
  }
  if (filter.kind !== null) {
    clauses.push("kind = ?");
    values.push(filter.kind);
  }
  if (filter.deliveryStatus !== null) {
    clauses.push(
      `(CASE lower(trim(${STATUS})) WHEN 'canceled' THEN 'cancelled' ELSE lower(trim(${STATUS})) END) = lower(?)`,
    );
    values.push(filter.deliveryStatus);
  }
  if (filter.tag !== null) {
    clauses.push("COALESCE(json_extract(order_data, '$.tag'), json_extract(request, '$.tag')) = ?");
    values.push(filter.tag);
  }
  if (filter.placedFrom !== null) {
    clauses.push("placed_at >= ?");
    values.push(filter.placedFrom.getTime());
  }
  if (filter.placedTo !== null) {
    clauses.push("placed_at < ?");
    values.push(filter.placedTo.getTime());
  }
  return clauses.join(" AND ");
}

export function listPlacedSqlite(
  statements: StatementCache,
  query: OrderListQuery,
): { anchorFound: boolean; rows: ListedOrder[] } {
  const values: SQLInputValue[] = [];
  let clauses = where(query.scope, query.filter, values);
  if (query.after !== null) {
    if (!/^\d{1,16}$/.test(query.after.sortKey)) return { anchorFound: false, rows: [] };
    const anchorValues: SQLInputValue[] = [];
    const anchorWhere = where(query.scope, query.filter, anchorValues);
    const anchor = statements
      .get(`SELECT 1 AS found FROM orders WHERE ${anchorWhere} AND po_number = ? AND created_at = ?`)
      .get(...anchorValues, query.after.poNumber, Number(query.after.sortKey));
    if (anchor === undefined) return { anchorFound: false, rows: [] };
    clauses += " AND (created_at, po_number) < (?, ?)";
    values.push(Number(query.after.sortKey), query.after.poNumber);
  }
  // Without statistics SQLite prefers the state index and sorts; the list index serves the order and the keyset.
  const index = "subject" in query.scope ? "orders_subject_list_idx" : "orders_placed_list_idx";
  const rows = statements
    .get(`SELECT * FROM orders INDEXED BY ${index} WHERE ${clauses} ORDER BY created_at DESC, po_number DESC LIMIT ?`)
    .all(...values, query.limit) as SqliteRow[];
  return {
    anchorFound: true,
    rows: rows.map((row) => ({ record: toOrderRecord(row), sortKey: String(int(row, "created_at")) })),
  };
}

export function countPlacedSqlite(statements: StatementCache, scope: ListScope, filter: OrderListFilter): number {
  const values: SQLInputValue[] = [];
  const row = statements.get(`SELECT count(*) AS n FROM orders WHERE ${where(scope, filter, values)}`).get(...values);
  return row === undefined ? 0 : int(row, "n");
}
