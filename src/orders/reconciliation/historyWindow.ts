// Which dates to ask Plum's history for, and which ledger orders it must list. Pure.
import type { HistoryQuery } from "../../plum/orderHistory.js";

const DAY_MS = 86_400_000;

export interface HistoryWindow {
  /** The run compares orders placed in [from, to]. */
  from: Date;
  to: Date;
  /** Plum's dates carry no zone (docs/plum-api.md §4.3): one more day on each side, so no zone can clip the window. */
  startDate: string;
  endDate: string;
  /** Ledger orders placed before this must be listed by Plum; younger ones may not be listed yet. */
  listedBefore: Date;
}

function ymd(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export function historyWindow(now: Date, windowDays: number, graceMs: number): HistoryWindow {
  const from = new Date(now.getTime() - windowDays * DAY_MS);
  return {
    from,
    to: now,
    startDate: ymd(new Date(from.getTime() - DAY_MS)),
    endDate: ymd(new Date(now.getTime() + DAY_MS)),
    listedBefore: new Date(now.getTime() - graceMs),
  };
}

export function historyPage(window: HistoryWindow, page: number, limit: number): HistoryQuery {
  return { startDate: window.startDate, endDate: window.endDate, page, limit };
}
