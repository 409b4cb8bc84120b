// The reconciliation rows both engines map the same way; a discrepancy without a poNumber reads as null.
import { describe, expect, it } from "vitest";
import { storedDiscrepancyFrom, storedRunFrom } from "../../../src/storage/shared/reconciliationColumns.js";

const T = (s: number) => new Date(Date.UTC(2026, 10, 30, 9, 0, s));

describe("reconciliation columns", () => {
  it("map a run's columns to its fields", () => {
    expect(
      storedRunFrom({
        id: 7,
        status: "succeeded",
        started_at: T(1),
        finished_at: T(2),
        window_from: T(3),
        window_to: T(4),
        pages: 2,
        history_orders: 40,
        adopted: 1,
        discrepancies: 3,
        error: null,
      }),
    ).toEqual({
      id: 7,
      status: "succeeded",
      startedAt: T(1),
      finishedAt: T(2),
      windowFrom: T(3),
      windowTo: T(4),
      pages: 2,
      historyOrders: 40,
      adopted: 1,
      discrepancies: 3,
      error: null,
    });
  });

  it('map a discrepancy\'s columns to its fields, the stored "" poNumber to null', () => {
    const columns = {
      id: 9,
      kind: "plum_order_not_in_ledger",
      po_number: "",
      order_id: "202",
      order_date: T(1),
      ledger_state: null,
      first_seen_at: T(2),
      last_seen_at: T(3),
      resolved_at: null,
    };
    expect(storedDiscrepancyFrom(columns)).toEqual({
      id: 9,
      kind: "plum_order_not_in_ledger",
      poNumber: null,
      orderId: "202",
      orderDate: T(1),
      ledgerState: null,
      firstSeenAt: T(2),
      lastSeenAt: T(3),
      resolvedAt: null,
    });
    expect(storedDiscrepancyFrom({ ...columns, po_number: "PO-1" }).poNumber).toBe("PO-1");
  });
});
