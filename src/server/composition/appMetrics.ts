// The service's metrics, wired to their sources. They exist before the credentials (a refresh at start-up is
// counted), so the credentials and the shutdown flag are read through functions, later.
import type { Config } from "../../config/config.js";
import type { PlumBudget } from "../../orders/budget/PlumBudget.js";
import type { PlumOperationName } from "../../plum/wire.js";
import type { Ledger } from "../../storage/ledger.js";
import type { PlumCredentials } from "../credentials.js";
import { createMetrics, type Metrics } from "../metrics.js";
import { readiness } from "../readiness.js";

export function createAppMetrics(deps: {
  config: Config;
  ledger: Ledger;
  budget: PlumBudget;
  credentials: () => PlumCredentials | null;
  shuttingDown: () => boolean;
}): Metrics {
  const { config, ledger, budget } = deps;
  const limited = (Object.keys(config.budget.limits) as PlumOperationName[]).filter(
    (op) => config.budget.limits[op] !== null,
  );
  return createMetrics({
    ledgerWrites: ledger,
    queueDepth: async () => (await ledger.queueStats()).depth,
    queueOldestAgeSeconds: async () => {
      const { oldestQueuedAt, now } = await ledger.queueStats();
      return oldestQueuedAt === null
        ? null
        : Math.max(0, Math.round((now.getTime() - oldestQueuedAt.getTime()) / 1000));
    },
    plumBudget: () =>
      Promise.all(
        limited.map(async (operation) => ({
          operation,
          used: (await budget.usage(operation)).used,
          limit: budget.limit(operation) ?? 0,
        })),
      ),
    pendingReconciliation: () => ledger.countPending(),
    tokenExpiresAt: () => deps.credentials()?.expiresAt() ?? null,
    refreshTokenExpiresAt: () => deps.credentials()?.refreshExpiresAt() ?? null,
    openDiscrepancies: () => ledger.countOpenDiscrepancies(),
    catalogueRefreshedAt: async () => (await ledger.catalogue.meta()).refreshedAt,
    operationsCounts: () => ledger.operationsCounts(),
    ready: async () => {
      const current = deps.credentials();
      return (
        current !== null &&
        (await readiness({ ledger, credentials: () => current.state(), shuttingDown: deps.shuttingDown })).ready
      );
    },
  });
}
