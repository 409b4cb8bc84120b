// The strictest reading of "N per minute": never more than N sends in ANY window, so a send is allowed only when
// fewer than N are on the log for the window ending now (a refilling bucket could send 2N in one window). Pure.
import type { BudgetClass, BudgetGrant, BudgetRule } from "./ports.js";

export interface LogEntry {
  at: number;
  klass: BudgetClass;
}

/** `log`: the sends within the window ending at `now`, oldest first; `penaltyUntil`: epoch ms or null. */
export function grantFrom(
  log: readonly LogEntry[],
  klass: BudgetClass,
  rule: BudgetRule,
  now: number,
  penaltyUntil: number | null,
): BudgetGrant {
  if (penaltyUntil !== null && penaltyUntil > now)
    return { granted: false, retryAfterMs: penaltyUntil - now, penalized: true };
  const mine = log.filter((entry) => entry.klass === klass);
  if (log.length < rule.limit && mine.length < rule.classLimit) return { granted: true };
  // The next slot opens when the oldest send that fills the limit leaves the window.
  const blocking = log.length >= rule.limit ? log[log.length - rule.limit] : mine[mine.length - rule.classLimit];
  const retryAfterMs = blocking === undefined ? rule.windowMs : Math.max(1, blocking.at + rule.windowMs - now);
  return { granted: false, retryAfterMs, penalized: false };
}
