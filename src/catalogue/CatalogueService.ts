// The cached catalogue: a snapshot in the ledger's database, refreshed on Plum's schedule and when a product is
// unknown, single-flight across replicas. Reads never wait on Plum while a snapshot exists; a failed refresh keeps
// the last good snapshot and logs an alert.
import { setTimeout as wait } from "node:timers/promises";
import type { Logger } from "pino";
import type { OrderFailure } from "../orders/errorCodes.js";
import { OrderKind } from "../orders/orderKind.js";
import { CallPacer, CatalogueFetchError, fetchCatalogue } from "./fetchCatalogue.js";
import type { CataloguePlum, CatalogueStore, ListFilter, RefreshCondition } from "./ports.js";
import { preflightFailures, type PreflightOrder } from "./preflight.js";
import type { CatalogueMeta, CatalogueProduct } from "./product.js";
import { SnapshotCache } from "./snapshotCache.js";
import { budgetDay, lastSlot, nextSlot, slotsLeftToday } from "./schedule.js";
import { wholesaleWithdrawal } from "./wholesaleWithdrawal.js";

type Due = Omit<RefreshCondition, "budget">;

export type RefreshOutcome = "success" | "failure" | "skipped";
export type RefreshReason = "scheduled" | "unknown_product" | "no_snapshot" | "manual";

export interface CatalogueOptions {
  store: CatalogueStore;
  plum: CataloguePlum;
  log: Logger;
  /** Lease owner for the cross-replica single flight. */
  owner: string;
  /** Scheduled refresh slots (default 6 h: 4× a day from midnight IST). */
  refreshIntervalMs: number;
  /** Older than this, the snapshot is not trusted to refuse orders (they go to Plum as before). */
  maxAgeMs: number;
  /** At most one refresh per this interval outside the schedule (unknown products, retries after a failure). */
  onDemandIntervalMs: number;
  /** How often the schedule is checked. */
  checkEveryMs?: number;
  leaseMs?: number;
  /** How long a catalogue read waits for the first snapshot of a new database (default 10 s, under the router's 30 s). */
  firstSnapshotWaitMs?: number;
  maxCallsPerRefresh?: number;
  /** getVouchers calls a day across replicas (Plum: 500); unscheduled refreshes leave room for the scheduled ones. */
  dailyCallBudget?: number;
  callsPerMinute?: number;
  /** How long the pre-flight may use the snapshot's stamp and products read before (default 1 s; see snapshotCache). */
  snapshotStalenessMs?: number;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  onRefresh?: (reason: RefreshReason, outcome: RefreshOutcome) => void;
}

export class CatalogueUnavailableError extends Error {
  constructor() {
    super("the catalogue is not available yet");
    this.name = "CatalogueUnavailableError";
  }
}

export interface PreflightResult {
  /** false: the snapshot could not judge (unknown product, stale or missing snapshot); Plum decides. */
  checked: boolean;
  product: CatalogueProduct | null;
  failures: OrderFailure[];
}

export class CatalogueService {
  private readonly now: () => Date;
  private readonly pacer: CallPacer;
  private inFlight: Promise<RefreshOutcome> | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Aborted by stop(): a refresh in progress ends after its current call. */
  private readonly stopping = new AbortController();
  private budgetWarnedFor: string | null = null;
  /** The pre-flight's copy of the snapshot: no catalogue query per order. */
  private readonly snapshot: SnapshotCache;

  constructor(private readonly options: CatalogueOptions) {
    this.now = options.now ?? (() => new Date());
    // The pacer's waits end early on stop(); it then gives up the refresh.
    const sleep =
      options.sleep ?? ((ms: number) => wait(ms, undefined, { signal: this.stopping.signal }).catch(() => undefined));
    this.pacer = new CallPacer({ perMinute: options.callsPerMinute ?? 45, now: () => this.now().getTime(), sleep });
    this.snapshot = new SnapshotCache(options.store, options.snapshotStalenessMs ?? 1_000);
  }

  /** Starts the schedule; resolves when the first check is done (a refresh if one is due), never rejects. */
  start(): Promise<RefreshOutcome | null> {
    if (this.timer !== null) return Promise.resolve(null);
    const first = this.refreshIfDue();
    this.timer = setInterval(() => void this.refreshIfDue(), this.options.checkEveryMs ?? 60_000);
    this.timer.unref();
    return first;
  }

  /** Stops the schedule; with `abort`, a refresh in progress ends after its current call (shutdown). */
  async stop(options: { abort?: boolean } = {}): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    if (options.abort === true) this.stopping.abort();
    await this.inFlight;
  }

  meta(): Promise<CatalogueMeta> {
    return this.options.store.meta();
  }

  /** The scheduled refresh, if its slot has not been refreshed yet (checked every minute by start()). */
  refreshIfDue(): Promise<RefreshOutcome> {
    const now = this.now();
    return this.refresh("scheduled", {
      refreshedBefore: lastSlot(now, this.options.refreshIntervalMs),
      attemptedBefore: new Date(now.getTime() - this.options.onDemandIntervalMs),
    });
  }

  /** A refresh now, whatever the schedule (operators and tests); still single-flight across replicas. */
  refreshNow(): Promise<RefreshOutcome> {
    return this.refresh("manual", { refreshedBefore: null, attemptedBefore: new Date(this.now().getTime() + 1) });
  }

  /** Seconds a catalogue answer may be cached: up to the next scheduled refresh (a minute while one is overdue). */
  async maxAgeSeconds(): Promise<number> {
    const now = this.now();
    const { refreshedAt } = await this.meta();
    const next = Math.max(
      1,
      Math.floor((nextSlot(now, this.options.refreshIntervalMs).getTime() - now.getTime()) / 1000),
    );
    const current = refreshedAt !== null && refreshedAt >= lastSlot(now, this.options.refreshIntervalMs);
    return current ? next : Math.min(60, next);
  }

  /** Products and operators by id (one query), waiting for a first snapshot only when there is none. */
  async findProducts(productIds: readonly number[]): Promise<Map<number, CatalogueProduct>> {
    await this.ensureSnapshot(this.options.firstSnapshotWaitMs ?? 10_000);
    const found = await this.options.store.findProducts(productIds);
    const byId = new Map(found.map((product) => [product.productId, product]));
    // Ids that cannot be Plum's are not worth a refresh.
    if (productIds.some((id) => id > 0 && !byId.has(id))) this.refreshForUnknown();
    return byId;
  }

  async list(filter: ListFilter): Promise<CatalogueProduct[]> {
    await this.ensureSnapshot(this.options.firstSnapshotWaitMs ?? 10_000);
    return this.options.store.list(filter);
  }

  /**
   * The pre-flight of one order, from the snapshot only (never waits on Plum while a snapshot exists). A product the
   * snapshot does not know starts an on-demand refresh in the background.
   */
  async preflight(order: PreflightOrder): Promise<PreflightResult> {
    let meta = await this.snapshot.meta();
    if (meta.refreshedAt === null) {
      // A brand-new database: the first snapshot is worth a short wait; if it cannot be had by then, Plum decides.
      await this.ensureSnapshot(2_000).catch(() => undefined);
      meta = await this.snapshot.meta();
    }
    const fresh =
      meta.refreshedAt !== null && this.now().getTime() - meta.refreshedAt.getTime() <= this.options.maxAgeMs;
    const product = meta.refreshedAt === null ? undefined : await this.snapshot.product(order.productId);
    if (product === undefined) {
      this.refreshForUnknown();
      return { checked: false, product: null, failures: [] };
    }
    if (!fresh) return { checked: false, product, failures: [] };
    return { checked: true, product, failures: preflightFailures(product, order) };
  }

  /** A refresh outside the schedule, at most once per onDemandIntervalMs across replicas; never awaited by reads. */
  private refreshForUnknown(): void {
    const now = this.now();
    void this.refresh("unknown_product", {
      refreshedBefore: null,
      attemptedBefore: new Date(now.getTime() - this.options.onDemandIntervalMs),
    });
  }

  /** Waits at most `waitMs` for a first snapshot (the refresh goes on in the background after that). */
  private async ensureSnapshot(waitMs: number): Promise<void> {
    if ((await this.options.store.meta()).refreshedAt !== null) return;
    const now = this.now();
    const refreshing = this.refresh("no_snapshot", {
      refreshedBefore: null,
      attemptedBefore: new Date(now.getTime() - this.options.onDemandIntervalMs),
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([refreshing, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
    clearTimeout(timer);
    if ((await this.options.store.meta()).refreshedAt === null) throw new CatalogueUnavailableError();
  }

  /** Single flight within the process (one promise) and across replicas (the store's lease). */
  private refresh(reason: RefreshReason, condition: Due): Promise<RefreshOutcome> {
    this.inFlight ??= this.runRefresh(reason, condition).finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  /**
   * The most calls the day may already have used for this refresh to start: room for its own calls (estimated by
   * the last refresh's), and for an unscheduled one also for every scheduled refresh still to come today.
   */
  private async budgetFor(
    reason: RefreshReason,
    due: Due,
    now: Date,
  ): Promise<{ day: string; maxUsed: number; used: number; due: boolean }> {
    const meta = await this.options.store.meta();
    const isDue =
      (due.refreshedBefore === null || meta.refreshedAt === null || meta.refreshedAt < due.refreshedBefore) &&
      (meta.lastAttemptAt === null || meta.lastAttemptAt < due.attemptedBefore);
    const cap = this.options.maxCallsPerRefresh ?? 120;
    const estimate = Math.max(1, Math.min(cap, meta.lastRefreshCalls ?? cap));
    const reserved = reason === "scheduled" ? 0 : estimate * slotsLeftToday(now, this.options.refreshIntervalMs);
    const day = budgetDay(now);
    return {
      day,
      maxUsed: (this.options.dailyCallBudget ?? 500) - estimate - reserved,
      used: meta.budgetDay === day ? meta.budgetCalls : 0,
      due: isDue,
    };
  }

  /** Every active entry of the snapshot (three indexed list queries). */
  private async activeSnapshot(): Promise<CatalogueProduct[]> {
    const { store } = this.options;
    const lists = await Promise.all([
      store.list({ kind: OrderKind.AIRMILES, role: "product" }),
      store.list({ kind: OrderKind.TOPUP, role: "operator" }),
      store.list({ kind: OrderKind.TOPUP, role: "product" }),
    ]);
    return lists.flat();
  }

  private async runRefresh(reason: RefreshReason, due: Due): Promise<RefreshOutcome> {
    const { store, owner, log } = this.options;
    const leaseMs = this.options.leaseMs ?? 10 * 60_000;
    let outcome: RefreshOutcome;
    try {
      const now = this.now();
      const budget = await this.budgetFor(reason, due, now);
      if (budget.due && budget.used > budget.maxUsed && this.budgetWarnedFor !== budget.day) {
        // Not an outage: the snapshot stays, and the next slot (or day) brings room again. Said once a day.
        this.budgetWarnedFor = budget.day;
        log.warn(
          { reason, used: budget.used, day: budget.day },
          "catalogue refresh skipped: getVouchers' daily budget is spent",
        );
      }
      if (
        !(await store.beginRefresh(
          owner,
          leaseMs,
          { ...due, budget: { day: budget.day, maxUsed: budget.maxUsed } },
          now,
        ))
      ) {
        outcome = "skipped";
      } else {
        const usage = { day: budget.day, calls: 0 };
        try {
          const maxCalls = Math.min(
            this.options.maxCallsPerRefresh ?? 120,
            (this.options.dailyCallBudget ?? 500) - budget.used,
          );
          const products = await fetchCatalogue(this.options.plum, this.pacer, maxCalls, usage, this.stopping.signal);
          const withdrawn = wholesaleWithdrawal(await this.activeSnapshot(), products);
          if (withdrawn !== null) throw new CatalogueFetchError(`the answer would withdraw all ${withdrawn}`);
          const committed = await store.commitRefresh(owner, products, this.now(), usage);
          if (committed) this.snapshot.invalidate();
          outcome = committed ? "success" : "failure";
          if (committed) log.info({ reason, products: products.length }, "catalogue refreshed");
          else
            log.error(
              { alert: "catalogue_refresh_failed", reason, cause: "lease lost" },
              "catalogue refresh failed; the last snapshot stays",
            );
        } catch (error) {
          await store.failRefresh(owner, this.now(), usage).catch(() => undefined);
          throw error;
        }
      }
    } catch (error) {
      outcome = "failure";
      // Only our own reason strings: never Plum's text.
      const cause = error instanceof CatalogueFetchError ? error.reason : "storage error";
      log.error(
        { alert: "catalogue_refresh_failed", reason, cause },
        "catalogue refresh failed; the last snapshot stays",
      );
    }
    this.options.onRefresh?.(reason, outcome);
    return outcome;
  }
}
