// PlacementService on its ports: PlacementStore as the model test's in-memory ledger (the engines' semantics) on a
// clock that only moves when a test says so, PlumPort as a typed stub. The main decisions, in milliseconds: a new
// order is written ahead and sent once; a retry is answered from the ledger; an unknown outcome stays PENDING and
// is not sent again inside the settle window; a refusal is final only where nothing can exist at Plum.
import pino from "pino";
import { describe, expect, it, vi } from "vitest";
import { OrderErrorCode } from "../../src/orders/errorCodes.js";
import { OrderKind } from "../../src/orders/orderKind.js";
import { PlaceOrderOutcome } from "../../src/orders/placeOrderOutcome.js";
import type { PlacementPolicy } from "../../src/orders/placement/evidence.js";
import type { PlacementStore, PlumPort } from "../../src/orders/placement/ports.js";
import { PlacementService } from "../../src/orders/PlacementService.js";
import { DEFAULT_PO_NUMBER_KEY, plumPoNumber } from "../../src/orders/poNumberNamespace.js";
import type { OrderRequest } from "../../src/orders/toPlaceOrderData.js";
import type { Exchange } from "../../src/plum/exchange.js";
import type { PlumCallResult } from "../../src/plum/result.js";
import type { PlaceOrderData } from "../../src/plum/wire.js";
import { ModelLedger } from "../model/modelStore.js";
import { World } from "../model/world.js";
import { LogCapture } from "../support/logs.js";

const POLICY: PlacementPolicy = {
  settleMs: 1_000,
  maxProcessingMs: 1_000,
  lookupIntervalMs: 0,
  maxBackoffMs: 60_000,
  maxSendAttempts: 3,
};

/** The model's world without its scheduler: every store step runs at once, and time moves only by `now`. */
class InstantWorld extends World {
  override step(): Promise<void> {
    return Promise.resolve();
  }
}

function airmiles(poNumber: string, denomination = 50): OrderRequest {
  return {
    kind: OrderKind.AIRMILES,
    input: {
      productId: 20301,
      quantity: 1,
      denomination,
      email: "member@example.com",
      poNumber,
      notifyReceiverEmail: false,
      notifyAdminEmail: false,
      userMeta: { loyaltyMemberId: "M-1" },
    },
  };
}

const exchange = (result: PlumCallResult): Exchange => ({ result, log: [] });
const placed = (data: PlaceOrderData, orderId: number): PlumCallResult => ({
  kind: "ok",
  httpStatus: 200,
  order: { orderId, poNumber: data.poNumber, orderStatus: "complete", orderDate: "2026-12-01 00:00:00" },
});
const UNKNOWN: PlumCallResult = { kind: "unknown", httpStatus: 503, errorId: "PLE10025", errorCode: null };
const NOT_FOUND: PlumCallResult = { kind: "notFound", httpStatus: 404 };
const REFUSED: PlumCallResult = { kind: "rejected", httpStatus: 400, errorId: "PLE10001", operatorValidation: false };

function engine() {
  const world = new InstantWorld();
  const ledger = new ModelLedger(world);
  const store: PlacementStore = ledger.forReplica({ id: "r1", dead: false });
  const placeOrder = vi.fn<PlumPort["placeOrder"]>();
  const getOrderDetails = vi.fn<PlumPort["getOrderDetails"]>().mockResolvedValue(exchange(NOT_FOUND));
  const plum: PlumPort = { placeOrder, getOrderDetails };
  const service = new PlacementService({
    store,
    plum,
    log: pino({ level: "info" }, new LogCapture()),
    replicaId: "r1",
    policy: POLICY,
    leaseMs: 30_000,
    writeRetryDelaysMs: [],
    every: () => () => {},
    monotonic: () => world.now,
  });
  return { world, ledger, service, placeOrder, getOrderDetails };
}

describe("PlacementService: placing", () => {
  it("a new order is written ahead, sent once under the caller's namespaced poNumber, and PLACED", async () => {
    const { ledger, service, placeOrder } = engine();
    const plumPo = plumPoNumber(DEFAULT_PO_NUMBER_KEY, "alice", "PO-1");
    placeOrder.mockImplementation(async (data) => {
      // Write-ahead: the row and its request are on record before anything leaves.
      expect(ledger.row(plumPo)).toMatchObject({
        state: "PENDING",
        sendAttempts: 1,
        callerPoNumber: "PO-1",
        subject: "alice",
      });
      expect(ledger.log).toMatchObject([{ operation: "placeOrder", phase: "request", poNumber: plumPo }]);
      return exchange(placed(data, 777));
    });

    const result = await service.place(airmiles("PO-1"), "alice");

    expect(result).toMatchObject({
      outcome: PlaceOrderOutcome.PLACED,
      errors: [],
      record: { orderId: "777", poNumber: plumPo },
    });
    expect(placeOrder).toHaveBeenCalledTimes(1);
    expect(placeOrder.mock.calls[0]?.[0].poNumber).toBe(plumPo);
    expect(ledger.row(plumPo)).toMatchObject({ state: "PLACED", orderId: "777", leaseOwner: null });
  });

  it("a retry is answered from the ledger (REPLAYED), never sent again", async () => {
    const { service, placeOrder, getOrderDetails } = engine();
    placeOrder.mockImplementation(async (data) => exchange(placed(data, 778)));
    await service.place(airmiles("PO-2"), "alice");

    const replay = await service.place(airmiles("PO-2"), "alice");

    expect(replay).toMatchObject({ outcome: PlaceOrderOutcome.REPLAYED, errors: [], record: { orderId: "778" } });
    expect(placeOrder).toHaveBeenCalledTimes(1);
    expect(getOrderDetails).not.toHaveBeenCalled();
  });

  it("a different order under a used poNumber is a conflict, without touching Plum; another caller's same poNumber is their own order", async () => {
    const { service, placeOrder } = engine();
    placeOrder.mockImplementation(async (data) => exchange(placed(data, 779)));
    await service.place(airmiles("PO-3"), "alice");

    const conflict = await service.place(airmiles("PO-3", 75), "alice");
    expect(conflict).toMatchObject({
      outcome: PlaceOrderOutcome.REJECTED,
      record: null,
      errors: [{ code: OrderErrorCode.PO_NUMBER_CONFLICT }],
    });
    expect(placeOrder).toHaveBeenCalledTimes(1);

    expect((await service.place(airmiles("PO-3", 75), "bob")).outcome).toBe(PlaceOrderOutcome.PLACED);
    expect(new Set(placeOrder.mock.calls.map(([data]) => data.poNumber)).size).toBe(2);
  });
});

describe("PlacementService: when the outcome is unknown", () => {
  it("stays PENDING (OUTCOME_UNKNOWN, retryable), and a retry inside the settle window does not send again", async () => {
    const { ledger, service, placeOrder } = engine();
    placeOrder.mockResolvedValue(exchange(UNKNOWN));
    const plumPo = plumPoNumber(DEFAULT_PO_NUMBER_KEY, "alice", "PO-4");

    const first = await service.place(airmiles("PO-4"), "alice");
    expect(first).toMatchObject({
      outcome: PlaceOrderOutcome.PENDING,
      record: null,
      errors: [{ code: OrderErrorCode.OUTCOME_UNKNOWN, retryable: true }],
    });
    expect(ledger.row(plumPo)).toMatchObject({ state: "PENDING", sendAttempts: 1, orderId: null });

    const early = await service.place(airmiles("PO-4"), "alice");
    expect(early.outcome).toBe(PlaceOrderOutcome.PENDING);
    expect(placeOrder).toHaveBeenCalledTimes(1);
    expect(ledger.row(plumPo)?.state).toBe("PENDING");
  });

  it("a look-up that finds the order settles it as PLACED, with no second send", async () => {
    const { world, service, placeOrder, getOrderDetails } = engine();
    let sent: PlaceOrderData | undefined;
    placeOrder.mockImplementation(async (data) => {
      sent = data;
      return exchange(UNKNOWN);
    });
    await service.place(airmiles("PO-5"), "alice");
    getOrderDetails.mockImplementation(async () => exchange(placed(sent as PlaceOrderData, 780)));
    world.now += POLICY.settleMs + POLICY.maxProcessingMs + 1;

    const retry = await service.place(airmiles("PO-5"), "alice");

    expect(retry).toMatchObject({ outcome: PlaceOrderOutcome.PLACED, record: { orderId: "780" } });
    expect(placeOrder).toHaveBeenCalledTimes(1);
  });

  it("our own write failing after the send answers PENDING, never REJECTED (the order may exist)", async () => {
    const { ledger, service, placeOrder } = engine();
    placeOrder.mockImplementation(async (data) => {
      ledger.failNext = "before";
      return exchange(placed(data, 781));
    });
    const result = await service.place(airmiles("PO-6"), "alice");
    expect(result.outcome).toBe(PlaceOrderOutcome.PENDING);
    expect(result.errors[0]?.retryable).toBe(true);
  });
});

describe("PlacementService: refusals", () => {
  it("a definite refusal of the first attempt is REJECTED: nothing was placed, nothing looked up", async () => {
    const { ledger, service, placeOrder, getOrderDetails } = engine();
    placeOrder.mockResolvedValue(exchange(REFUSED));
    const result = await service.place(airmiles("PO-7"), "alice");
    expect(result).toMatchObject({
      outcome: PlaceOrderOutcome.REJECTED,
      record: null,
      errors: [{ code: OrderErrorCode.UPSTREAM_REJECTED }],
    });
    expect(getOrderDetails).not.toHaveBeenCalled();
    expect(ledger.row(plumPoNumber(DEFAULT_PO_NUMBER_KEY, "alice", "PO-7"))?.state).toBe("REJECTED");
  });

  it("after an unknown attempt, a refusal is REJECTED only once a trusted look-up proved no order exists", async () => {
    const { world, service, placeOrder, getOrderDetails } = engine();
    placeOrder.mockResolvedValueOnce(exchange(UNKNOWN)).mockResolvedValue(exchange(REFUSED));
    expect((await service.place(airmiles("PO-8"), "alice")).outcome).toBe(PlaceOrderOutcome.PENDING);
    world.now += POLICY.settleMs + POLICY.maxProcessingMs + 1;

    const retry = await service.place(airmiles("PO-8"), "alice");

    // Attempt 1 may have created it: Plum's "not found" (past the settle window) came before the resend.
    const lookupBeforeResend = getOrderDetails.mock.invocationCallOrder[0] ?? Infinity;
    expect(lookupBeforeResend).toBeLessThan(placeOrder.mock.invocationCallOrder[1] ?? -Infinity);
    expect(placeOrder).toHaveBeenCalledTimes(2);
    expect(retry.outcome).toBe(PlaceOrderOutcome.REJECTED);
  });
});
