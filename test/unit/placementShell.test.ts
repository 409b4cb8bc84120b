// The placement shell's handling of evidence it could not write at once (review findings): a late success for a
// row already rejected, and facts learned earlier in a drive when the row has to be read again.
import pino from "pino";
import { describe, expect, it } from "vitest";
import { OrderKind } from "../../src/orders/orderKind.js";
import type { OrderRequest } from "../../src/orders/toPlaceOrderData.js";
import type { PlacementStore, PlumPort } from "../../src/orders/placement/ports.js";
import { PlacementService } from "../../src/orders/PlacementService.js";
import type { PlumCallResult } from "../../src/plum/result.js";
import { SqliteLedger } from "../../src/storage/sqlite/SqliteLedger.js";
import { LogCapture } from "../support/logs.js";
import { uniquePo } from "../storage/fixtures.js";

const POLICY = { settleMs: 10, maxProcessingMs: 10, lookupIntervalMs: 1, maxBackoffMs: 1_000, maxSendAttempts: 3 };

function request(poNumber: string): OrderRequest {
  return {
    kind: OrderKind.AIRMILES,
    input: {
      productId: 20301,
      quantity: 1,
      denomination: 50,
      email: "a@b.c",
      poNumber,
      notifyReceiverEmail: false,
      notifyAdminEmail: false,
      userMeta: { loyaltyMemberId: "A1" },
    },
  };
}

const order = (poNumber: string, orderId: number) => ({
  orderId,
  poNumber,
  quantity: 1,
  voucherDetails: [{ productId: 20301, denomination: 50 }],
  orderMeta: { email: "a@b.c" },
});

/** A store over a real ledger whose next `failing` updates throw, and whose look-ups can run a hook first. */
function storeOver(ledger: SqliteLedger, state: { failing: number }): PlacementStore {
  return {
    claim: (p, l, r) => ledger.claim(p, l, r),
    acquireLease: (po, l, o) => ledger.acquireLease(po, l, o),
    renewLease: (po, l) => ledger.renewLease(po, l),
    update: (po, owner, patch, release, guard) => {
      if (state.failing > 0) {
        state.failing -= 1;
        return Promise.reject(new Error("the ledger is failing"));
      }
      return ledger.update(po, owner, patch, release, guard);
    },
    findByPlumPoNumber: (po) => ledger.findByPlumPoNumber(po),
    duePending: (now, limit) => ledger.duePending(now, limit),
  };
}

function service(store: PlacementStore, plum: PlumPort, logs: LogCapture): PlacementService {
  return new PlacementService({
    store,
    plum,
    log: pino({ level: "info" }, logs),
    replicaId: "r",
    policy: POLICY,
    leaseMs: 5_000,
    writeRetryDelaysMs: [],
  });
}

describe("placement shell: evidence written late", () => {
  it("a kept success for a row another replica rejected (reopenable) adopts the order, closes the reopen and alerts", async () => {
    const ledger = new SqliteLedger(":memory:");
    await ledger.migrate();
    const po = uniquePo("late-success");
    const state = { failing: 0 };
    const logs = new LogCapture();
    const plum: PlumPort = {
      placeOrder: async () => {
        state.failing = 1; // the write of this answer fails
        return { result: { kind: "ok", httpStatus: 200, order: order(po, 777) }, log: [] };
      },
      getOrderDetails: async () => ({ result: { kind: "notFound", httpStatus: 404 }, log: [] }),
    };
    const engine = service(storeOver(ledger, state), plum, logs);

    expect((await engine.place(request(po), null)).outcome).toBe("PENDING");
    expect(engine.unwrittenCount).toBe(1);
    // Meanwhile the row was (wrongly) settled as a retryable rejection elsewhere.
    await ledger.update(po, null, { state: "REJECTED", reopenable: true, errors: [] }, true);

    await engine.reconcileDue(10);

    expect(engine.unwrittenCount).toBe(0);
    expect(await ledger.findByPlumPoNumber(po)).toMatchObject({
      state: "PLACED",
      orderId: "777",
      reopenable: false,
      alert: "order_needs_operator",
    });
    expect(logs.text).toContain('"alert":"order_needs_operator"');
    await ledger.close();
  });

  it("facts learned before the row had to be read again are kept: a duplicate answer's proof survives a version bump", async () => {
    const ledger = new SqliteLedger(":memory:");
    await ledger.migrate();
    const po = uniquePo("replay-facts");
    const logs = new LogCapture();
    // Attempt 1 was sent and later cleared by a trusted look-up; the row waits for its re-send.
    const { record } = await ledger.claim(
      {
        poNumber: po,
        kind: OrderKind.AIRMILES,
        fingerprint: "f",
        subject: null,
        request: { ...request(po).input, contact: null, tag: "", userMeta: { loyaltyMemberId: "A1" } } as never,
      },
      { owner: "old", ms: 1, at: new Date(Date.now() - 60_000) },
    );
    await ledger.update(
      po,
      "old",
      { sends: [{ n: 1, answer: "empty", empty: "notFound" }], nextCheckAt: new Date() },
      true,
    );
    void record;
    const duplicate: PlumCallResult = { kind: "duplicatePoNumber", httpStatus: 422 };
    const plum: PlumPort = {
      placeOrder: async () => ({ result: duplicate, log: [] }),
      getOrderDetails: async () => {
        await ledger.update(po, null, {}, false); // another writer bumps the version during the look-up
        return { result: { kind: "notFound", httpStatus: 404 }, log: [] };
      },
    };
    const engine = service(storeOver(ledger, { failing: 0 }), plum, logs);

    await engine.reconcileDue(10);

    const row = await ledger.findByPlumPoNumber(po);
    expect(row?.state).toBe("PENDING");
    expect(row?.existence).toEqual({ source: "duplicate", orderId: null });
    expect(row?.sends[1]).toMatchObject({ n: 2, answer: "empty", empty: "rejected" });
    await ledger.close();
  });
});
