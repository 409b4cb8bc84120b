// Reads orders: the ledger first, Plum's getOrderDetails for what the ledger does not know (and the ledger then
// remembers it). Entity batches cost one ledger query plus bounded-concurrency look-ups for the misses only.
import DataLoader from "dataloader";
import { Scope, type Caller } from "../auth/caller.js";
import { findCallerRow } from "./callerRow.js";
import type { PlumCallResult } from "../plum/result.js";
import type { PlumOrderWire } from "../plum/wire.js";
import type { ServedOrder } from "./orderRecord.js";
import type { OrderReadStore } from "./readerPorts.js";
import { mapWithConcurrency } from "./concurrency.js";
import { parsePlumDate } from "./orderView.js";
import type { PlacementService } from "./PlacementService.js";
import { UNLIMITED_UPSTREAM, type UpstreamBudget } from "./upstreamBudget.js";

/** The one Plum call reads make (they never place). */
export interface OrderLookups {
  getOrderDetails(lookup: { orderId: string } | { poNumber: string }): Promise<PlumCallResult>;
}
import { toId, toText } from "../plum/lenient.js";

/** Plum could not answer a read; the caller gets an error rather than a misleading null. */
export class UpstreamUnavailableError extends Error {
  constructor() {
    super("Plum is unavailable; try again later");
    this.name = "UpstreamUnavailableError";
  }
}

export interface OrderReaderOptions {
  store: OrderReadStore;
  plum: OrderLookups;
  placement: PlacementService;
  /** Parallel Plum look-ups per entity batch (Plum allows 200 getOrderDetails a minute). */
  lookupConcurrency: number;
}

export class OrderReader {
  constructor(private readonly options: OrderReaderOptions) {}

  /**
   * The order placed under `poNumber`, or null when none exists (yet). Work on the caller's behalf (asking Plum,
   * settling a pending row) happens only for orders the caller could see: orders learned from Plum carry no
   * subject, so only admins see them, and someone else's pending order is not the caller's to settle.
   */
  async byPoNumber(
    poNumber: string,
    caller: Caller,
    budget: UpstreamBudget = UNLIMITED_UPSTREAM,
  ): Promise<ServedOrder | null> {
    const admin = caller.scopes.has(Scope.admin);
    const known = await findCallerRow(this.options.store, poNumber, caller);
    if (known !== null) {
      const mayAskPlum = known.state === "PENDING";
      if (mayAskPlum) budget.take();
      const current = mayAskPlum ? await this.options.placement.refresh(known) : known;
      return current.state === "PLACED" ? current : null;
    }
    if (!admin) return null;
    budget.take();
    return this.learn(await this.options.plum.getOrderDetails({ poNumber }));
  }

  /** A loader for one request: `load(orderId)` batches into one ledger query. */
  createLoader(caller: Caller, budget: UpstreamBudget = UNLIMITED_UPSTREAM): DataLoader<string, ServedOrder | null> {
    return new DataLoader((ids) => this.byOrderIds(ids, caller, budget), { maxBatchSize: 500 });
  }

  /** A miss the budget refused is that entry's error (DataLoader rejects its load); the others resolve. */
  async byOrderIds(
    orderIds: readonly string[],
    caller: Caller,
    budget: UpstreamBudget = UNLIMITED_UPSTREAM,
  ): Promise<(ServedOrder | Error | null)[]> {
    const canonical = orderIds.map((id) => toId(id));
    const wanted = [...new Set(canonical.filter((id): id is string => id !== null))];
    const found = new Map((await this.options.store.findByOrderIds(wanted)).map((r) => [r.orderId, r]));
    // Misses are asked of Plum only for admins (see byPoNumber); others get what the ledger has.
    const candidates = caller.scopes.has(Scope.admin) ? wanted.filter((id) => !found.has(id)) : [];
    const refused = new Map<string, Error>();
    const misses = candidates.filter((id) => {
      try {
        budget.take();
        return true;
      } catch (error) {
        refused.set(id, error instanceof Error ? error : new Error(String(error)));
        return false;
      }
    });
    const learned = await mapWithConcurrency(misses, this.options.lookupConcurrency, async (orderId) =>
      this.learn(await this.options.plum.getOrderDetails({ orderId })),
    );
    const learnedById = new Map(misses.map((id, i) => [id, learned[i] ?? null]));
    return canonical.map((id) =>
      id === null ? null : (found.get(id) ?? refused.get(id) ?? learnedById.get(id) ?? null),
    );
  }

  private async learn(result: PlumCallResult): Promise<ServedOrder | null> {
    if (result.kind === "notFound" || result.kind === "rejected") return null;
    if (result.kind !== "ok") throw new UpstreamUnavailableError();
    const orderId = toId(result.order.orderId);
    // Plum sends "" (or nothing) for an order placed without one.
    const poNumber = toText(result.order.poNumber);
    if (orderId === null) return null;
    const placedAt = parsePlumDate(result.order.orderDate);
    // The ledger is keyed by poNumber: an order placed without one is served, not cached.
    if (poNumber === null) return transientRecord(orderId, result.order, placedAt);
    return this.options.store.remember({ poNumber, orderId, order: result.order, placedAt });
  }
}

function transientRecord(orderId: string, order: PlumOrderWire, placedAt: Date | null): ServedOrder {
  const now = new Date();
  return {
    poNumber: null,
    callerPoNumber: null,
    kind: null,
    fingerprint: null,
    subject: null,
    source: "LOOKUP",
    state: "PLACED",
    request: null,
    orderId,
    order,
    errors: [],
    deliveryStatus: null,
    deliveryStatusAt: null,
    sendAttempts: 0,
    lastSentAt: null,
    nextCheckAt: null,
    leaseOwner: null,
    leaseUntil: null,
    createdAt: now,
    updatedAt: now,
    placedAt,
    sends: [],
    existence: null,
    lastLookupAt: null,
    alert: null,
    reopenable: false,
    version: 0,
    readAt: now,
  };
}
