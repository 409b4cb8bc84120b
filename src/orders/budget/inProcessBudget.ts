// The budget ledger of the embedded engine: SQLite serves one process, so the log lives in its memory.
import type { PlumOperationName } from "../../plum/wire.js";
import { grantFrom, type LogEntry } from "./slidingWindow.js";
import type { BudgetClass, BudgetGrant, BudgetLedger, BudgetRule, BudgetUsage } from "./ports.js";

export class InProcessBudgetLedger implements BudgetLedger {
  private readonly logs = new Map<PlumOperationName, LogEntry[]>();
  private readonly penalties = new Map<PlumOperationName, number>();

  constructor(private readonly now: () => number = Date.now) {}

  async take(operation: PlumOperationName, klass: BudgetClass, rule: BudgetRule): Promise<BudgetGrant> {
    const now = this.now();
    const log = this.prune(operation, now, rule.windowMs);
    const grant = grantFrom(log, klass, rule, now, this.penalties.get(operation) ?? null);
    if (grant.granted) log.push({ at: now, klass });
    return grant;
  }

  async penalize(operation: PlumOperationName, ms: number): Promise<void> {
    const until = this.now() + ms;
    this.penalties.set(operation, Math.max(until, this.penalties.get(operation) ?? 0));
  }

  async usage(operation: PlumOperationName, windowMs: number): Promise<BudgetUsage> {
    const now = this.now();
    const until = this.penalties.get(operation) ?? null;
    return {
      used: this.prune(operation, now, windowMs).length,
      penaltyUntil: until !== null && until > now ? new Date(until) : null,
    };
  }

  private prune(operation: PlumOperationName, now: number, windowMs: number): LogEntry[] {
    const log = (this.logs.get(operation) ?? []).filter((entry) => entry.at > now - windowMs);
    this.logs.set(operation, log);
    return log;
  }
}
