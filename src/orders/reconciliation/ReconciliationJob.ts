// The scheduled reconciliation against Plum's getOrderHistory: single-flight across replicas (a lease on one ledger
// row, taken on the database's clock), paced inside getOrderHistory's 200 requests a minute, comparing a trailing
// window (compareHistory.ts decides; this is the I/O shell). PENDING rows Plum lists go to the placement engine as
// evidence; everything else that does not match is recorded as a discrepancy and alerted, never imported as ours.
import type { Logger } from "pino";
import type { HistoryQuery, HistoryResult, HistoryRow } from "../../plum/orderHistory.js";
import type { OrderRecord } from "../orderRecord.js";
import type { Evidence } from "../placement/evidence.js";
import { compareHistory, type Adoption } from "./compareHistory.js";
import { historyPage, historyWindow, type HistoryWindow } from "./historyWindow.js";
import type { Discrepancy, ReconciliationStore, RunOutcome } from "./ports.js";

export interface HistorySource {
  page(query: HistoryQuery): Promise<HistoryResult>;
}

/** The placement engine's door for evidence learned outside a placement (PlacementService implements it). */
export interface EvidenceSink {
  applyEvidence(poNumber: string, evidence: Evidence, options?: { reopen?: boolean }): Promise<OrderRecord | null>;
}

export interface ReconciliationJobOptions {
  store: ReconciliationStore;
  history: HistorySource;
  placement: EvidenceSink;
  log: Logger;
  /** This replica: the lease owner. */
  owner: string;
  /** Between successful runs; 0 turns the schedule off (runOnce(true) still works). */
  intervalMs: number;
  windowDays: number;
  pageSize: number;
  /** getOrderHistory requests per minute this job may make (Plum allows 200). */
  perMinute: number;
  /** Ledger orders younger than this are not expected in Plum's history yet. */
  graceMs: number;
  leaseMs: number;
  sleep?: (ms: number) => Promise<void>;
  onFinished?: (outcome: RunOutcome, found: readonly Discrepancy[]) => void;
}

/** A failed run is tried again after this (or the interval, if shorter). */
const RETRY_AFTER_FAILURE_MS = 300_000;
const MAX_PAGES = 10_000;
const MAX_RATE_LIMIT_WAITS = 3;
const LOOKUP_CHUNK = 500;

class RunFailed extends Error {}

export interface RunSummary {
  runId: number;
  outcome: RunOutcome;
}

export class ReconciliationJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<RunSummary | null> | null = null;
  private stopping = false;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: ReconciliationJobOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms).unref()));
  }

  start(): void {
    if (this.options.intervalMs <= 0) return;
    // Due-ness lives in the ledger (next_run_at), so checking often is cheap and a restart never skips a run.
    this.timer = setInterval(
      () => void this.runOnce().catch(() => undefined),
      Math.min(this.options.intervalMs, 60_000),
    );
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => null);
  }

  /** One run if this replica gets the lease and it is due (`force`: due now). null when it did not run. */
  runOnce(force = false): Promise<RunSummary | null> {
    this.running ??= this.claimAndRun(force).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async claimAndRun(force: boolean): Promise<RunSummary | null> {
    const { store, owner, leaseMs, log } = this.options;
    const claim = await store.claimReconciliation(owner, leaseMs, force);
    if (claim === null) return null;
    const window = historyWindow(claim.startedAt, this.options.windowDays, this.options.graceMs);
    const outcome: RunOutcome = {
      status: "failed",
      windowFrom: window.from,
      windowTo: window.to,
      pages: 0,
      historyOrders: 0,
      adopted: 0,
      discrepancies: 0,
      error: null,
    };
    let found: Discrepancy[] = [];
    try {
      const history = await this.readHistory(window, outcome);
      const comparison = compareHistory({
        history,
        ledger: await this.ledgerRows(history),
        placedInWindow: await store.placedBetween(window.from, window.listedBefore),
      });
      outcome.adopted = await this.adopt(comparison.adopt);
      found = comparison.discrepancies;
      await store.recordDiscrepancies(claim.runId, found, { from: window.from, to: window.to });
      outcome.discrepancies = found.length;
      outcome.status = "succeeded";
      for (const d of found) {
        log.error(
          { alert: d.kind, poNumber: d.poNumber, orderId: d.orderId, ledgerState: d.ledgerState },
          "reconciliation: Plum and the ledger disagree",
        );
      }
      log.info(
        {
          runId: claim.runId,
          pages: outcome.pages,
          historyOrders: outcome.historyOrders,
          adopted: outcome.adopted,
          discrepancies: found.length,
        },
        "reconciliation run finished",
      );
    } catch (error) {
      outcome.error = error instanceof RunFailed ? error.message : "internal error";
      log.error(
        { err: error instanceof RunFailed ? undefined : error, runId: claim.runId, reason: outcome.error },
        "reconciliation run failed; it will be tried again",
      );
    }
    const next =
      outcome.status === "succeeded"
        ? this.options.intervalMs
        : Math.min(this.options.intervalMs || RETRY_AFTER_FAILURE_MS, RETRY_AFTER_FAILURE_MS);
    await store.finishReconciliation(owner, claim.runId, outcome, next);
    this.options.onFinished?.(outcome, found);
    return { runId: claim.runId, outcome };
  }

  /** Every page of the window, paced to `perMinute`, the lease renewed before each request. */
  private async readHistory(window: HistoryWindow, outcome: RunOutcome): Promise<HistoryRow[]> {
    const { pageSize, perMinute, store, owner, leaseMs } = this.options;
    const spacingMs = Math.ceil(60_000 / Math.max(1, Math.min(perMinute, 200)));
    const rows: HistoryRow[] = [];
    const seen = new Set<string>();
    let waits = 0;
    for (let page = 1; page <= MAX_PAGES;) {
      if (this.stopping) throw new RunFailed("stopped: the process is shutting down");
      if (!(await store.renewReconciliation(owner, leaseMs)))
        throw new RunFailed("lease lost: the run took longer than its lease");
      if (page > 1 || waits > 0) await this.sleep(spacingMs);
      const result = await this.options.history.page(historyPage(window, page, pageSize));
      if (result.kind === "rateLimited") {
        if ((waits += 1) > MAX_RATE_LIMIT_WAITS) throw new RunFailed("rate limited by Plum");
        await this.sleep(result.penaltySeconds * 1000);
        continue;
      }
      if (result.kind === "failed") throw new RunFailed(`getOrderHistory failed: ${result.reason}`);
      outcome.pages = page;
      const fresh = result.rows.filter((row) => !seen.has(row.orderId));
      for (const row of fresh) seen.add(row.orderId);
      rows.push(...fresh);
      outcome.historyOrders = rows.length;
      if (result.rows.length < pageSize) return rows;
      // A full page with nothing new: Plum is not paging (it ignored `page`); the window cannot be read completely.
      if (fresh.length === 0) throw new RunFailed("getOrderHistory repeated a page");
      page += 1;
    }
    throw new RunFailed(`more than ${MAX_PAGES} pages of history`);
  }

  private async ledgerRows(history: readonly HistoryRow[]): Promise<OrderRecord[]> {
    const rows: OrderRecord[] = [];
    for (let i = 0; i < history.length; i += LOOKUP_CHUNK) {
      const chunk = history.slice(i, i + LOOKUP_CHUNK);
      const poNumbers = [...new Set(chunk.map((row) => row.poNumber).filter((po): po is string => po !== null))];
      rows.push(
        ...(await this.options.store.findForReconciliation(
          poNumbers,
          chunk.map((row) => row.orderId),
        )),
      );
    }
    return rows;
  }

  /** Each adoption through the placement engine; one failing row does not stop the others. */
  private async adopt(adoptions: readonly Adoption[]): Promise<number> {
    let adopted = 0;
    for (const item of adoptions) {
      if (this.stopping) break;
      try {
        await this.options.store.renewReconciliation(this.options.owner, this.options.leaseMs);
        const row = await this.options.placement.applyEvidence(
          item.poNumber,
          { kind: "history", orderId: item.orderId },
          { reopen: item.reopen },
        );
        if (row?.state === "PLACED") adopted += 1;
      } catch (error) {
        this.options.log.error(
          { err: error, poNumber: item.poNumber },
          "reconciliation: adopting one order failed; the others go on",
        );
      }
    }
    return adopted;
  }
}
