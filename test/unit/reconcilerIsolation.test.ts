// Case 13 of the money-safety issue: one row whose reconciliation throws must not stop the pass for the others.
import pino from "pino";
import { describe, expect, it } from "vitest";
import type { Lease, OrderRecord } from "../../src/orders/orderRecord.js";
import type { PlacementStore, PlumPort } from "../../src/orders/placement/ports.js";
import { PlacementService } from "../../src/orders/PlacementService.js";
import { SqliteLedger } from "../../src/storage/sqlite/SqliteLedger.js";
import { placement, uniquePo } from "../storage/fixtures.js";

const POLICY = { settleMs: 10, maxProcessingMs: 10, lookupIntervalMs: 1, maxBackoffMs: 1_000, maxSendAttempts: 3 };

describe("reconciler pass", () => {
  it("isolates a row that throws: the other due rows are still settled", async () => {
    const ledger = new SqliteLedger(":memory:");
    await ledger.migrate();
    const past = new Date(Date.now() - 60_000);
    const pos = [uniquePo("iso-a"), uniquePo("iso-broken"), uniquePo("iso-c")];
    // Claimed a minute ago by a process that died: attempt 1 open, lease long expired, due.
    for (const po of pos) await ledger.claim(placement(po), { owner: "dead", ms: 1, at: past });
    const broken = pos[1] as string;
    const store: PlacementStore = {
      ...bind(ledger),
      acquireLease: (po: string, lease: Lease, options?: { reopen?: boolean }): Promise<OrderRecord | null> =>
        po === broken ? Promise.reject(new Error("this row's read fails")) : ledger.acquireLease(po, lease, options),
    };
    let orderId = 5_000;
    // Plum has every order (the dead process's sends went through).
    const plum: PlumPort = {
      placeOrder: () => Promise.reject(new Error("nothing may be sent: every row has an open attempt")),
      getOrderDetails: async (target) => {
        const po = "poNumber" in target ? target.poNumber : "";
        orderId += 1;
        const order = { orderId, poNumber: po, quantity: 1, voucherDetails: [{ productId: 20301, denomination: 50 }] };
        return { result: { kind: "ok", httpStatus: 200, order }, log: [] };
      },
    };
    const service = new PlacementService({
      store,
      plum,
      log: pino({ level: "silent" }),
      replicaId: "r",
      policy: POLICY,
      leaseMs: 5_000,
    });

    const settled = await service.reconcileDue(10);

    expect(settled).toBe(2);
    const states = await Promise.all(pos.map(async (po) => (await ledger.findByPlumPoNumber(po))?.state));
    expect(states).toEqual(["PLACED", "PENDING", "PLACED"]);
    await ledger.close();
  });
});

function bind(ledger: SqliteLedger): PlacementStore {
  return {
    claim: (p, l, r) => ledger.claim(p, l, r),
    acquireLease: (po, l, o) => ledger.acquireLease(po, l, o),
    renewLease: (po, l) => ledger.renewLease(po, l),
    update: (po, owner, patch, release, guard) => ledger.update(po, owner, patch, release, guard),
    findByPlumPoNumber: (po) => ledger.findByPlumPoNumber(po),
    duePending: (now, limit) => ledger.duePending(now, limit),
  };
}
