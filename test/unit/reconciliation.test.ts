// The reconciliation's pure parts: compareHistory (what Plum's history holds against the ledger), the history
// window, the classification of getOrderHistory answers, and history evidence in decide().
import { describe, expect, it } from "vitest";
import type { OrderRecord } from "../../src/orders/orderRecord.js";
import { decide } from "../../src/orders/placement/decide.js";
import type { PlacementPolicy } from "../../src/orders/placement/evidence.js";
import { compareHistory } from "../../src/orders/reconciliation/compareHistory.js";
import { historyPage, historyWindow } from "../../src/orders/reconciliation/historyWindow.js";
import { classifyHistory, type HistoryRow } from "../../src/plum/orderHistory.js";
import { orderRecord } from "../support/orderRecords.js";

const NOW = new Date("2026-12-01T10:00:00.000Z");

function row(poNumber: string | null, orderId: string, orderDate = "2026-11-30 09:00:00"): HistoryRow {
  return { poNumber, orderId, orderDate, deliveryStatus: "delivered" };
}

function ledgerRow(poNumber: string, patch: Partial<OrderRecord> = {}): OrderRecord {
  return orderRecord({ poNumber, subject: "alice", sends: [{ n: 1, answer: "unknown" }], ...patch }, NOW);
}

describe("compareHistory", () => {
  it("finds nothing when every Plum order is the ledger's and every placed ledger order is listed", () => {
    const result = compareHistory({
      history: [row("PO-1", "101"), row("PO-2", "102"), row("PO-1", "101")],
      ledger: [ledgerRow("PO-1", { orderId: "101" }), ledgerRow("PO-2", { orderId: "102" })],
      placedInWindow: [
        { poNumber: "PO-1", orderId: "101", placedAt: NOW },
        { poNumber: "PO-2", orderId: "102", placedAt: NOW },
      ],
    });
    expect(result).toEqual({ adopt: [], discrepancies: [] });
  });

  it("alerts on a poNumber the ledger does not know, and on an order placed without a poNumber it cannot match", () => {
    const result = compareHistory({
      history: [row("PO-X", "201"), row(null, "202"), row(null, "203")],
      ledger: [ledgerRow("PO-Y", { orderId: "203" })],
      placedInWindow: [],
    });
    expect(result.adopt).toEqual([]);
    expect(result.discrepancies).toEqual([
      {
        kind: "plum_order_not_in_ledger",
        poNumber: null,
        orderId: "202",
        orderDate: new Date("2026-11-30T09:00:00.000Z"),
        ledgerState: null,
      },
      {
        kind: "plum_order_not_in_ledger",
        poNumber: "PO-X",
        orderId: "201",
        orderDate: new Date("2026-11-30T09:00:00.000Z"),
        ledgerState: null,
      },
    ]);
  });

  it("alerts on a second Plum order under a placed poNumber, keeping the ledger's own", () => {
    const result = compareHistory({
      history: [row("PO-1", "101"), row("PO-1", "150")],
      ledger: [ledgerRow("PO-1", { orderId: "101" })],
      placedInWindow: [],
    });
    expect(result.discrepancies.map((d) => [d.kind, d.orderId, d.ledgerState])).toEqual([
      ["duplicate_upstream_order", "150", "PLACED"],
    ]);
    expect(result.adopt).toEqual([]);
  });

  it("hands a PENDING row to the engine as evidence (the oldest order) and alerts on any further order", () => {
    const result = compareHistory({
      history: [row("PO-P", "1000"), row("PO-P", "999")],
      ledger: [ledgerRow("PO-P", { state: "PENDING", placedAt: null })],
      placedInWindow: [],
    });
    expect(result.adopt).toEqual([{ poNumber: "PO-P", orderId: "999", reopen: false }]);
    expect(result.discrepancies.map((d) => [d.kind, d.orderId, d.ledgerState])).toEqual([
      ["duplicate_upstream_order", "1000", "PENDING"],
    ]);
  });

  it("reopens a retryable rejection that Plum's history proves wrong, and alerts on a definite rejection Plum holds an order for", () => {
    const result = compareHistory({
      history: [row("PO-R", "301"), row("PO-D", "302")],
      ledger: [ledgerRow("PO-R", { state: "REJECTED", reopenable: true }), ledgerRow("PO-D", { state: "REJECTED" })],
      placedInWindow: [],
    });
    expect(result.adopt).toEqual([{ poNumber: "PO-R", orderId: "301", reopen: true }]);
    expect(result.discrepancies.map((d) => [d.kind, d.poNumber, d.ledgerState])).toEqual([
      ["plum_order_not_in_ledger", "PO-D", "REJECTED"],
    ]);
  });

  it("alerts on a placed ledger order the history lacks", () => {
    const placedAt = new Date("2026-11-29T00:00:00.000Z");
    const result = compareHistory({
      history: [],
      ledger: [],
      placedInWindow: [{ poNumber: "PO-L", orderId: "401", placedAt }],
    });
    expect(result.discrepancies).toEqual([
      {
        kind: "ledger_order_not_at_plum",
        poNumber: "PO-L",
        orderId: "401",
        orderDate: placedAt,
        ledgerState: "PLACED",
      },
    ]);
  });
});

describe("historyWindow", () => {
  it("covers the trailing days plus a day on each side for Plum's zoneless dates, and expects only orders older than the grace", () => {
    const window = historyWindow(NOW, 7, 600_000);
    expect(window).toEqual({
      from: new Date("2026-11-24T10:00:00.000Z"),
      to: NOW,
      startDate: "2026-11-23",
      endDate: "2026-12-02",
      listedBefore: new Date("2026-12-01T09:50:00.000Z"),
    });
    expect(historyPage(window, 3, 100)).toEqual({
      startDate: "2026-11-23",
      endDate: "2026-12-02",
      page: 3,
      limit: 100,
    });
  });
});

describe("classifyHistory", () => {
  const ok = (data: unknown) => JSON.stringify({ data: { getOrderHistory: { status: 1, data } } });

  it("reads the documented rows leniently (numeric orderIds, missing or empty poNumber) and drops rows without an orderId", () => {
    expect(
      classifyHistory(
        200,
        ok([
          { orderId: 12, poNumber: "PO-1", orderDate: "2026-11-30 09:00:00", deliveryStatus: "delivered" },
          { orderId: "13" },
          { poNumber: "x" },
          { orderId: "14", poNumber: "" },
        ]),
      ),
    ).toEqual({
      kind: "ok",
      rows: [
        { orderId: "12", poNumber: "PO-1", orderDate: "2026-11-30 09:00:00", deliveryStatus: "delivered" },
        { orderId: "13", poNumber: null, orderDate: null, deliveryStatus: null },
        { orderId: "14", poNumber: null, orderDate: null, deliveryStatus: null },
      ],
    });
  });

  it("treats Plum's 'no order history' answer as an empty page, a rate limit as such, and anything else as a failure", () => {
    expect(
      classifyHistory(
        404,
        JSON.stringify({ code: 404, errorId: "PLE10022", errorInfo: "Failed to find order history" }),
      ),
    ).toEqual({ kind: "ok", rows: [] });
    expect(
      classifyHistory(
        429,
        JSON.stringify({ errors: [{ message: "auth.request_limit_exceeded", penaltySeconds: 30 }] }),
      ),
    ).toEqual({ kind: "rateLimited", penaltySeconds: 30 });
    expect(classifyHistory(502, "<html>bad gateway</html>").kind).toBe("failed");
    expect(classifyHistory(200, JSON.stringify({ data: { getOrderHistory: { status: 0 } } })).kind).toBe("failed");
    expect(
      classifyHistory(
        400,
        JSON.stringify({ code: 400, errorId: "PLE10032", errorInfo: "Failed to validate OrderHistory request" }),
      ).kind,
    ).toBe("failed");
  });
});

describe("decide() with history evidence", () => {
  const policy: PlacementPolicy = {
    settleMs: 30_000,
    maxProcessingMs: 120_000,
    lookupIntervalMs: 5_000,
    maxBackoffMs: 600_000,
    maxSendAttempts: 3,
  };
  const pending = ledgerRow("PO-H", { state: "PENDING", placedAt: null, lastSentAt: new Date(NOW.getTime() - 1_000) });

  it("is a sticky proof of existence: adopted by looking the listed orderId up, never sent, never rejected, whoever drives", () => {
    for (const driver of ["reconciler", "read", "mutation"] as const) {
      const { patch, action } = decide(pending, { kind: "history", orderId: "777" }, { now: NOW, driver, policy });
      expect(patch.existence).toEqual({ source: "history", orderId: "777" });
      expect(action).toEqual({ type: "lookup", target: { orderId: "777" } });
    }
  });

  it("keeps an earlier proof (a webhook's) rather than replacing it", () => {
    const proven = { ...pending, existence: { source: "webhook" as const, orderId: "555" } };
    expect(
      decide(proven, { kind: "history", orderId: "777" }, { now: NOW, driver: "reconciler", policy }).action,
    ).toEqual({ type: "lookup", target: { orderId: "555" } });
  });
});
