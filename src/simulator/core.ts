// The simulator's state and operations, shared by the HTTP routes, the admin endpoints and the
// programmatic PlumSimulator handle.
import { setTimeout as sleep } from "node:timers/promises";
import { BehaviourSettings, type SimBehaviour } from "./behaviour.js";
import { CallLog } from "./callLog.js";
import { CatalogueState } from "./catalogueState.js";
import { getVouchers } from "./getVouchers.js";
import { lookupMobileNumber } from "./lookupMobileNumber.js";
import { FaultQueue, type OtherOrderMode } from "./faults.js";
import { getOrderDetails } from "./getOrderDetails.js";
import { getOrderHistory } from "./getOrderHistory.js";
import { heldOrderData } from "./heldOrder.js";
import { LookupView } from "./lookupView.js";
import { OrderBook, type SimOrder } from "./orderBook.js";
import { placeOrderWire } from "./orderWire.js";
import { getOtherOrderDetails } from "./otherOrder.js";
import { placeOrder } from "./placeOrder.js";
import { RateLimiter } from "./rateLimiter.js";
import { loadSimulatorState, saveSimulatorState } from "./stateFile.js";
import { successReply, type SimReply } from "./responses.js";
import { TokenStore } from "./tokens.js";
import type { RateLimits, WebhookConfig } from "./types.js";
import { WebhookEmitter, type FinalStatus } from "./webhooks.js";

export interface CoreOptions {
  accessToken: string;
  refreshToken: string;
  clientId: string;
  clientSecret: string;
  balance: number;
  webhook: WebhookConfig | undefined;
  autoDeliverMs: number | null;
  recordCalls: boolean;
  rateLimits: RateLimits | null;
  rateWindowMs?: number;
  ratePenaltySeconds?: number;
  invalidateOldAccessTokenOnRefresh: boolean;
  accessTokenTtlSeconds: number;
  firstOrderId: number;
  behaviour: SimBehaviour;
  /** Where the order book is kept across restarts; undefined: in memory only. */
  stateFile: string | undefined;
}

export class DeliverError extends Error {
  constructor(
    message: string,
    readonly reason: "not_found" | "not_pending",
  ) {
    super(message);
    this.name = "DeliverError";
  }
}

export class SimulatorCore {
  private readonly shutdown = new AbortController();
  private readonly autoDeliveries = new Map<number, NodeJS.Timeout>();
  private readonly deferred = new Set<NodeJS.Timeout>();
  readonly book: OrderBook;
  readonly tokens: TokenStore;
  readonly faults = new FaultQueue();
  readonly calls: CallLog;
  readonly rateLimiter: RateLimiter;
  readonly webhooks: WebhookEmitter;
  readonly behaviour: BehaviourSettings;
  readonly catalogue = new CatalogueState();

  constructor(private readonly options: CoreOptions) {
    this.behaviour = new BehaviourSettings(options.behaviour);
    const { stateFile } = options;
    this.book = new OrderBook(
      options.balance,
      options.firstOrderId,
      stateFile === undefined ? undefined : () => saveSimulatorState(stateFile, this.book.state()),
    );
    const saved = stateFile === undefined ? null : loadSimulatorState(stateFile);
    if (saved !== null) this.book.restore(saved);
    this.tokens = new TokenStore(options);
    this.calls = new CallLog(options.recordCalls);
    this.rateLimiter = new RateLimiter(options.rateLimits, {
      ...(options.rateWindowMs === undefined ? {} : { windowMs: options.rateWindowMs }),
      ...(options.ratePenaltySeconds === undefined ? {} : { penaltySeconds: options.ratePenaltySeconds }),
    });
    this.webhooks = new WebhookEmitter(options.webhook, this.shutdown.signal);
  }

  get closed(): boolean {
    return this.shutdown.signal.aborted;
  }

  placeOrder(data: unknown): SimReply {
    const outcome = placeOrder(data, this.book, new Date(), {
      deduplicatePoNumbers: this.behaviour.deduplicatePoNumbers,
    });
    if (!outcome.ok) return outcome.reply;
    if (outcome.order.deliveryStatus === "pending") this.scheduleAutoDelivery(outcome.order.orderId);
    return successReply("placeOrder", placeOrderWire(outcome.order));
  }

  /** The catalogue placeOrder validates against (catalogue.ts), as getVouchers lists it. */
  getVouchers(data: unknown): SimReply {
    return getVouchers(data, this.catalogue);
  }

  lookupMobileNumber(data: unknown): SimReply {
    return lookupMobileNumber(data, this.catalogue.get().lookupShape);
  }

  /** The wallet placeOrder debits (docs/plum-api.md §4.4: `{value, currency}`). */
  getBalance(): SimReply {
    return successReply("getBalance", { value: this.book.balanceUsd, currency: "USD" });
  }

  getOrderDetails(data: unknown): SimReply {
    return getOrderDetails(data, this.lookupView());
  }

  getOrderHistory(data: unknown): SimReply {
    return getOrderHistory(data, this.lookupView());
  }

  /** An order Plum holds that nobody placed through the service (see PlumSimulator.holdOrder). */
  holdOrder(data: Record<string, unknown> = {}, orderDate = new Date()): SimOrder {
    const outcome = placeOrder(heldOrderData(data), this.book, orderDate, { deduplicatePoNumbers: false });
    if (!outcome.ok) throw new Error(`the simulator refused the held order: ${JSON.stringify(outcome.reply)}`);
    return outcome.order;
  }

  /** getOrderDetails under the lookupAnswersOther fault. */
  getOtherOrderDetails(data: unknown, mode: OtherOrderMode): SimReply {
    return getOtherOrderDetails(data, this.lookupView(), mode);
  }

  /**
   * Runs `operation` after `ms` whatever became of the request that asked for it (slowProcessing), unless reset()
   * or close() comes first: a reset simulator must not grow orders from a previous test.
   */
  defer(ms: number, operation: () => void): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.deferred.delete(timer);
      try {
        operation();
      } catch (error) {
        // No request is left to answer with a 500; a warning keeps the failure visible without crashing the host.
        process.emitWarning(
          `simulator: deferred operation failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }, ms);
    this.deferred.add(timer);
  }

  /** Completes a pending order and awaits its webhook attempts. */
  async deliver(orderId: number, status: FinalStatus = "delivered"): Promise<SimOrder> {
    const order = this.book.get(orderId);
    if (order === undefined) throw new DeliverError(`order ${orderId} does not exist`, "not_found");
    if (order.deliveryStatus !== "pending") {
      throw new DeliverError(`order ${orderId} is already ${order.deliveryStatus}`, "not_pending");
    }
    this.cancelAutoDelivery(orderId);
    order.deliveryStatus = status;
    order.deliveryDate = new Date();
    if (status === "canceled") this.book.refund(order);
    else this.book.changed();
    await this.webhooks.emit(order, status);
    return order;
  }

  /** Waits `ms` unless the simulator closes first; false when it closed. */
  async pause(ms: number): Promise<boolean> {
    try {
      await sleep(ms, undefined, { signal: this.shutdown.signal });
      return true;
    } catch {
      return false;
    }
  }

  reset(): void {
    this.book.reset();
    this.calls.reset();
    this.faults.clear();
    this.rateLimiter.reset();
    this.webhooks.reset();
    this.behaviour.reset();
    this.catalogue.reset();
    for (const timer of this.autoDeliveries.values()) clearTimeout(timer);
    this.autoDeliveries.clear();
    this.cancelDeferred();
  }

  async close(): Promise<void> {
    this.shutdown.abort();
    for (const timer of this.autoDeliveries.values()) clearTimeout(timer);
    this.autoDeliveries.clear();
    this.cancelDeferred();
    await this.webhooks.close();
  }

  /** The orders getOrderDetails can see now (the look-up lag hides the youngest). */
  private lookupView(): LookupView {
    return new LookupView(this.book, this.behaviour.lookupLagMs, Date.now());
  }

  private cancelDeferred(): void {
    for (const timer of this.deferred) clearTimeout(timer);
    this.deferred.clear();
  }

  private scheduleAutoDelivery(orderId: number): void {
    const delay = this.options.autoDeliverMs;
    if (delay === null || this.closed) return;
    const timer = setTimeout(() => {
      this.autoDeliveries.delete(orderId);
      // The order may have been delivered by hand or removed by reset() meanwhile.
      this.deliver(orderId).catch(() => undefined);
    }, delay);
    this.autoDeliveries.set(orderId, timer);
  }

  private cancelAutoDelivery(orderId: number): void {
    const timer = this.autoDeliveries.get(orderId);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.autoDeliveries.delete(orderId);
  }
}
