// The reconciliation's decisions, as one pure function: what Plum's order history holds against what the ledger
// holds. Money safety: nothing Plum holds is imported as ours here. A PENDING (or retryably rejected) row named by a
// history order becomes evidence for the placement engine (decide() adopts it only after a look-up proves it ours);
// everything else that does not match is a discrepancy for an operator.
import type { HistoryRow } from "../../plum/orderHistory.js";
import { parsePlumDate } from "../../plum/plumDate.js";
import type { OrderRecord } from "../orderRecord.js";
import type { Discrepancy, PlacedRef } from "./ports.js";

export interface Adoption {
  poNumber: string;
  orderId: string;
  /** The row is a reopenable rejection: the evidence proves "nothing reached Plum" wrong. */
  reopen: boolean;
}

export interface Comparison {
  adopt: Adoption[];
  discrepancies: Discrepancy[];
}

export interface ComparisonInput {
  /** Every history row of the run's window (pages concatenated; repeats are harmless). */
  history: readonly HistoryRow[];
  /** The ledger's rows for the history's poNumbers and orderIds. */
  ledger: readonly OrderRecord[];
  /** The ledger's PLACED orders Plum's history must list (placed inside the window, old enough to be listed). */
  placedInWindow: readonly PlacedRef[];
}

const byOrderId = (a: HistoryRow, b: HistoryRow) =>
  a.orderId.length - b.orderId.length || a.orderId.localeCompare(b.orderId);

function finding(kind: Discrepancy["kind"], row: HistoryRow, ledgerState: string | null): Discrepancy {
  return { kind, poNumber: row.poNumber, orderId: row.orderId, orderDate: parsePlumDate(row.orderDate), ledgerState };
}

export function compareHistory(input: ComparisonInput): Comparison {
  const unique = new Map<string, HistoryRow>();
  for (const row of input.history) if (!unique.has(row.orderId)) unique.set(row.orderId, row);
  const rows = [...unique.values()].sort(byOrderId);
  const ledgerByPo = new Map(input.ledger.map((record) => [record.poNumber, record]));
  const ledgerOrderIds = new Set(
    input.ledger.map((record) => record.orderId).filter((id): id is string => id !== null),
  );

  const groups = new Map<string, HistoryRow[]>();
  const adopt: Adoption[] = [];
  const discrepancies: Discrepancy[] = [];
  for (const row of rows) {
    if (row.poNumber === null) {
      // Placed without a poNumber: ours only if the ledger knows its orderId.
      if (!ledgerOrderIds.has(row.orderId)) discrepancies.push(finding("plum_order_not_in_ledger", row, null));
      continue;
    }
    const group = groups.get(row.poNumber);
    if (group === undefined) groups.set(row.poNumber, [row]);
    else group.push(row);
  }

  for (const [poNumber, orders] of groups) {
    const record = ledgerByPo.get(poNumber);
    if (record === undefined) {
      for (const row of orders)
        if (!ledgerOrderIds.has(row.orderId)) discrepancies.push(finding("plum_order_not_in_ledger", row, null));
      continue;
    }
    if (record.state === "PLACED") {
      // The ledger's order is expected; any other order under the poNumber was charged a second time.
      for (const row of orders)
        if (row.orderId !== record.orderId) discrepancies.push(finding("duplicate_upstream_order", row, "PLACED"));
      continue;
    }
    if (record.state === "PENDING" || record.reopenable) {
      const [first, ...others] = orders;
      if (first !== undefined) adopt.push({ poNumber, orderId: first.orderId, reopen: record.state === "REJECTED" });
      for (const row of others) discrepancies.push(finding("duplicate_upstream_order", row, record.state));
      continue;
    }
    // A definite rejection, yet Plum holds an order: the ledger told the caller "not placed". A person looks.
    for (const row of orders) discrepancies.push(finding("plum_order_not_in_ledger", row, "REJECTED"));
  }

  const upstreamIds = new Set(rows.map((row) => row.orderId));
  for (const placed of input.placedInWindow) {
    if (!upstreamIds.has(placed.orderId)) {
      discrepancies.push({
        kind: "ledger_order_not_at_plum",
        poNumber: placed.poNumber,
        orderId: placed.orderId,
        orderDate: placed.placedAt,
        ledgerState: "PLACED",
      });
    }
  }
  return { adopt, discrepancies };
}
