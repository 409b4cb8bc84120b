// One budget per Plum operation for every replica (docs/plum-api.md §6.2): the limits, the reserved shares and the
// penalty, over a BudgetLedger that storage provides. The placement shell takes placeOrder slots before each
// write-ahead; the Plum client's gate takes every other operation's (see plumGate.ts).
import type { PlumOperationName } from "../../plum/wire.js";
import type { BudgetClass, BudgetGrant, BudgetLedger, BudgetRule } from "./ports.js";

export interface PlumBudgetConfig {
  /** Plum's counting window (60 000 ms; tests scale it down). */
  windowMs: number;
  /** Added to the window we count over: a slot taken now leaves a moment later, and Plum counts arrivals. */
  marginMs: number;
  /** Sends per window per operation; null: not limited here. */
  limits: Record<PlumOperationName, number | null>;
  /** Of each look-up operation's limit, this share is kept for each class (placements / reconciliation). */
  reservedShare: number;
}

export class PlumBudget {
  private readonly penalties = new Map<PlumOperationName, number>();

  constructor(
    private readonly ledger: BudgetLedger,
    readonly config: PlumBudgetConfig,
  ) {}

  limit(operation: PlumOperationName): number | null {
    return this.config.limits[operation];
  }

  /** The window the log is counted over. */
  get countedWindowMs(): number {
    return this.config.windowMs + this.config.marginMs;
  }

  rule(operation: PlumOperationName, klass: BudgetClass): BudgetRule | null {
    const limit = this.limit(operation);
    if (limit === null) return null;
    // Every placeOrder goes through one FIFO queue, so it has no split; look-ups keep a reserve for each class so
    // neither callers' look-ups nor the reconciler's can take the whole window.
    const reserve =
      operation === "placeOrder" ? 0 : Math.min(Math.floor(limit / 2), Math.ceil(limit * this.config.reservedShare));
    void klass;
    return { limit, classLimit: limit - reserve, windowMs: this.countedWindowMs };
  }

  async take(operation: PlumOperationName, klass: BudgetClass): Promise<BudgetGrant> {
    const rule = this.rule(operation, klass);
    if (rule === null) return { granted: true };
    return this.ledger.take(operation, klass, rule);
  }

  /** Plum refused us: every replica pauses this operation for the penalty. */
  async penalize(operation: PlumOperationName, penaltySeconds: number): Promise<void> {
    this.penalties.set(operation, (this.penalties.get(operation) ?? 0) + 1);
    await this.ledger.penalize(operation, Math.max(1, penaltySeconds) * 1000);
  }

  /** Rate-limit answers this process has seen, per operation (the metric's counter source). */
  penaltiesSeen(operation: PlumOperationName): number {
    return this.penalties.get(operation) ?? 0;
  }

  usage(operation: PlumOperationName) {
    return this.ledger.usage(operation, this.countedWindowMs);
  }

  /**
   * Seconds until the `position`-th queued placement (1: the next) is likely sent: one window per `limit` sends,
   * plus any penalty still running. An estimate, never a promise; at least 1.
   */
  async queuedEstimateSeconds(position: number): Promise<number> {
    return (await this.estimator())(position);
  }

  /** queuedEstimateSeconds for many positions with one read of the penalty. */
  async estimator(): Promise<(position: number) => number> {
    const limit = this.limit("placeOrder");
    if (limit === null) return () => 1;
    const { penaltyUntil } = await this.usage("placeOrder");
    const penaltyMs = penaltyUntil === null ? 0 : Math.max(0, penaltyUntil.getTime() - Date.now());
    return (position) =>
      Math.max(1, Math.ceil(((Math.max(1, position) / limit) * this.countedWindowMs + penaltyMs) / 1000));
  }
}
