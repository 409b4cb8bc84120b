// Which share of the budget a Plum call draws on, carried through async calls so the Plum client need not know.
import { AsyncLocalStorage } from "node:async_hooks";
import type { BudgetClass } from "./ports.js";

const current = new AsyncLocalStorage<BudgetClass>();

/** Runs `fn` with its Plum calls charged to `klass` (the reconciler runs under "reconciliation"). */
export function withBudgetClass<T>(klass: BudgetClass, fn: () => T): T {
  return current.run(klass, fn);
}

export function budgetClass(): BudgetClass {
  return current.getStore() ?? "placement";
}
