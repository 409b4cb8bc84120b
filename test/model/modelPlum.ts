// A hostile Plum: answers lost after the order was made, orders made up to maxProcessing after the answer,
// look-ups that lag, fail, or answer another order, with and without duplicate-poNumber rejection.
import type { PlumPort } from "../../src/orders/placement/ports.js";
import type { PlumCallResult } from "../../src/plum/result.js";
import type { PlaceOrderData, PlumOrderWire } from "../../src/plum/wire.js";
import type { ModelLedger } from "./modelStore.js";
import type { Replica, World } from "./world.js";

export interface ModelOrder {
  orderId: string;
  poNumber: string;
  request: PlaceOrderData;
  createdAt: number;
}

export type PlaceFault =
  | "ok"
  | "lostAfterCreate"
  | "slowCreate"
  | "lostBeforeCreate"
  | "rejected"
  | "rateLimited"
  | "notSent"
  | "expiredToken";
export type LookupFault = "truthful" | "unavailable" | "rateLimited" | "anotherOrder";

export interface PlumBehaviour {
  deduplicate: boolean;
  lagMs: number;
  maxProcessingMs: number;
}

export class ModelPlum {
  readonly orders: ModelOrder[] = [];
  private creations: { at: number; request: PlaceOrderData }[] = [];
  private nextId = 1000;
  private readonly requests = new Map<string, number>();
  faults = true;
  /** The schedule sets these before each call (the next fault to apply). */
  nextPlaceFault: PlaceFault = "ok";
  nextLookupFault: LookupFault = "truthful";
  nextSlowMs = 0;
  readonly violations: string[] = [];
  readonly trace: string[] = [];

  constructor(
    private readonly world: World,
    private readonly ledger: ModelLedger,
    readonly behaviour: PlumBehaviour,
  ) {}

  ordersFor(poNumber: string): ModelOrder[] {
    return this.orders.filter((o) => o.poNumber === poNumber);
  }

  hasPendingCreation(poNumber: string): boolean {
    return this.creations.some((c) => c.request.poNumber === poNumber);
  }

  /** Makes the orders whose slow processing has finished. */
  land(): void {
    const due = this.creations.filter((c) => c.at <= this.world.now);
    this.creations = this.creations.filter((c) => c.at > this.world.now);
    for (const creation of due.sort((a, b) => a.at - b.at)) this.create(creation.request, creation.at);
  }

  private create(request: PlaceOrderData, at = this.world.now): ModelOrder | null {
    if (this.behaviour.deduplicate && this.ordersFor(request.poNumber).length > 0) return null;
    const order = { orderId: String((this.nextId += 1)), poNumber: request.poNumber, request, createdAt: at };
    this.trace.push(`t=${this.world.now} CREATED ${order.poNumber} ${order.orderId}`);
    this.orders.push(order);
    return order;
  }

  wire(order: ModelOrder): PlumOrderWire {
    return {
      orderId: Number(order.orderId),
      poNumber: order.poNumber,
      quantity: order.request.quantity,
      voucherDetails: [{ productId: order.request.productId, denomination: order.request.denomination }],
      orderMeta: { email: order.request.email },
      orderDate: this.world.date(order.createdAt).toISOString(),
    };
  }

  private place(data: PlaceOrderData): PlumCallResult {
    // Every request must have been written ahead: attempts on record ≥ requests received.
    const received = (this.requests.get(data.poNumber) ?? 0) + 1;
    this.requests.set(data.poNumber, received);
    const row = this.ledger.row(data.poNumber);
    if (row === undefined || row.sendAttempts < received)
      this.violations.push(`request ${received} for ${data.poNumber} left without its write-ahead`);
    const logged = this.ledger.log.filter(
      (e) => e.poNumber === data.poNumber && e.operation === "placeOrder" && e.phase === "request",
    ).length;
    if (logged < received)
      this.violations.push(`request ${received} for ${data.poNumber} left before its attempt-log row`);
    this.land();
    const fault = this.faults ? this.nextPlaceFault : "ok";
    this.trace.push(
      `t=${this.world.now} place ${data.poNumber} #${received} ${fault} slow=${this.nextSlowMs} orders=${this.ordersFor(data.poNumber).length}`,
    );
    const unknown: PlumCallResult = { kind: "unknown", httpStatus: 504, errorId: null, errorCode: null };
    const duplicate = () => this.behaviour.deduplicate && this.ordersFor(data.poNumber).length > 0;
    switch (fault) {
      case "rejected":
        return { kind: "rejected", httpStatus: 400, errorId: "PLE10018", operatorValidation: false };
      case "rateLimited":
        return { kind: "rateLimited", httpStatus: 429, penaltySeconds: 1 };
      case "notSent":
        return { kind: "notSent", errorCode: "ECONNREFUSED" };
      case "expiredToken":
        return { kind: "unauthorized", httpStatus: 401, renewable: true };
      case "lostBeforeCreate":
        return unknown;
      case "slowCreate":
        if (duplicate()) return { kind: "duplicatePoNumber", httpStatus: 422 };
        this.creations.push({
          at: this.world.now + Math.min(this.nextSlowMs, this.behaviour.maxProcessingMs),
          request: data,
        });
        return unknown;
      case "lostAfterCreate":
        if (duplicate()) return { kind: "duplicatePoNumber", httpStatus: 422 };
        this.create(data);
        return unknown;
      case "ok": {
        if (duplicate()) return { kind: "duplicatePoNumber", httpStatus: 422 };
        const order = this.create(data);
        return order === null
          ? { kind: "duplicatePoNumber", httpStatus: 422 }
          : { kind: "ok", httpStatus: 200, order: this.wire(order) };
      }
    }
  }

  private lookup(target: { orderId: string } | { poNumber: string }): PlumCallResult {
    this.land();
    const fault = this.faults ? this.nextLookupFault : "truthful";
    if (fault === "unavailable") return { kind: "unknown", httpStatus: 503, errorId: null, errorCode: null };
    if (fault === "rateLimited") return { kind: "rateLimited", httpStatus: 429, penaltySeconds: 1 };
    const visible = this.orders.filter((o) => o.createdAt <= this.world.now - this.behaviour.lagMs);
    if (fault === "anotherOrder") {
      const other = {
        orderId: "1",
        poNumber: "SOMEONE-ELSE",
        request: { ...visible[0]?.request, email: "x@y.z" } as PlaceOrderData,
        createdAt: 0,
      };
      return { kind: "ok", httpStatus: 200, order: this.wire(other) };
    }
    this.trace.push(
      `t=${this.world.now} lookup ${JSON.stringify(target)} ${fault} visible=${visible.map((o) => o.poNumber + "@" + o.createdAt).join(",")}`,
    );
    const found =
      "orderId" in target
        ? visible.find((o) => o.orderId === target.orderId)
        : visible.find((o) => o.poNumber === target.poNumber);
    return found === undefined
      ? { kind: "notFound", httpStatus: 404 }
      : { kind: "ok", httpStatus: 200, order: this.wire(found) };
  }

  forReplica(replica: Replica): PlumPort {
    const w = this.world;
    return {
      placeOrder: async (data, { notAfter }) => {
        // Any delay before the request leaves; like the real client, it refuses to leave after `notAfter`. Its
        // answer may take any time (or never come).
        await w.step(replica);
        if (w.now > notAfter) return { result: { kind: "notSent", errorCode: "SEND_GUARD" }, log: [] };
        const result = this.place(data);
        await w.step(replica);
        return { result, log: [] };
      },
      getOrderDetails: async (target) => {
        await w.step(replica);
        const result = this.lookup(target);
        await w.step(replica);
        return { result, log: [] };
      },
    };
  }
}
