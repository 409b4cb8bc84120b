// Prometheus metrics (prom-client). Labels are bounded enums only: never poNumbers, ids, e-mails or phones.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { registerLedgerMetrics, type LedgerWriteSource } from "./ledgerMetrics.js";
import { registerOperationsMetrics, type OperationsMetrics, type OperationsSources } from "./operationsMetrics.js";

export type Route = "graphql" | "health" | "ready" | "metrics" | "webhook" | "explorer" | "other";

export interface Metrics extends OperationsMetrics {
  registry: Registry;
  httpRequests: Counter<"route" | "status">;
  orders: Counter<"kind" | "outcome" | "code">;
  plumDuration: Histogram<"operation" | "outcome">;
  webhooks: Counter<"result">;
  reconciled: Counter;
  reconciliationRuns: Counter<"result">;
  catalogueRefreshes: Counter<"reason" | "outcome">;
  /** Rate-limit answers from Plum this replica saw, by operation. */
  plumPenalties: Counter<"operation">;
}

/** One Plum operation's shared budget: sends in the current window, and its limit. */
export interface BudgetReading {
  operation: string;
  used: number;
  limit: number;
}

export interface MetricSources extends OperationsSources {
  pendingReconciliation: () => Promise<number>;
  tokenExpiresAt: () => Date | null;
  /** Open reconciliation discrepancies by alert (a bounded set of names). */
  openDiscrepancies?: () => Promise<Record<string, number>>;
  /** When the catalogue snapshot was refreshed (null: none yet). */
  catalogueRefreshedAt?: () => Promise<Date | null>;
  /** The shared Plum budget per limited operation. */
  plumBudget?: () => Promise<BudgetReading[]>;
  /** The ledger's commit and checkpoint counters. */
  ledgerWrites?: LedgerWriteSource;
}

/** The backlog is a count over the ledger: computed at most this often, whatever the scrape rate. */
const PENDING_COUNT_MAX_AGE_MS = 10_000;

export function createMetrics(sources: MetricSources): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics: Metrics = {
    registry,
    httpRequests: new Counter({
      name: "orders_http_requests_total",
      help: "HTTP requests by route and status code.",
      labelNames: ["route", "status"],
      registers: [registry],
    }),
    orders: new Counter({
      name: "orders_placements_total",
      help: 'Placement calls by order kind, outcome and first error code ("none" when there is none).',
      labelNames: ["kind", "outcome", "code"],
      registers: [registry],
    }),
    plumDuration: new Histogram({
      name: "orders_plum_request_duration_seconds",
      help: "Latency of calls to Plum by operation and result class.",
      labelNames: ["operation", "outcome"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30],
      registers: [registry],
    }),
    webhooks: new Counter({
      name: "orders_webhooks_total",
      help: "Delivery-status callbacks by result.",
      labelNames: ["result"],
      registers: [registry],
    }),
    reconciled: new Counter({
      name: "orders_reconciler_settled_total",
      help: "Pending orders the background reconciler worked on (settled or rescheduled).",
      registers: [registry],
    }),
    reconciliationRuns: new Counter({
      name: "orders_reconciliation_runs_total",
      help: "Runs of the reconciliation against Plum's order history by result (succeeded, failed).",
      labelNames: ["result"],
      registers: [registry],
    }),
    catalogueRefreshes: new Counter({
      name: "orders_catalogue_refreshes_total",
      help: "Catalogue refresh attempts by reason (scheduled, unknown_product, no_snapshot) and outcome (success, failure, skipped: another replica was refreshing or none was due).",
      labelNames: ["reason", "outcome"],
      registers: [registry],
    }),
    ...registerOperationsMetrics(registry, sources),
    plumPenalties: new Counter({
      name: "orders_plum_penalties_total",
      help: "Rate-limit answers (penalties) from Plum seen by this replica, by operation; each pauses the operation for every replica.",
      labelNames: ["operation"],
      registers: [registry],
    }),
  };
  budgetMetrics(registry, sources);
  if (sources.ledgerWrites !== undefined) registerLedgerMetrics(registry, sources.ledgerWrites);
  const openDiscrepancies = sources.openDiscrepancies;
  if (openDiscrepancies !== undefined) {
    new Gauge({
      name: "orders_reconciliation_discrepancies",
      help: "Open discrepancies between Plum's order history and the ledger, by alert (absent while the ledger is unreachable).",
      labelNames: ["alert"],
      registers: [registry],
      async collect() {
        try {
          for (const [alert, count] of Object.entries(await openDiscrepancies())) this.set({ alert }, count);
        } catch {
          this.reset();
        }
      },
    });
  }
  let pending: { value: number; at: number } | null = null;
  new Gauge({
    name: "orders_catalogue_age_seconds",
    help: "Seconds since the catalogue snapshot was refreshed from Plum (absent: no snapshot yet, or the ledger is unreachable).",
    registers: [registry],
    async collect() {
      try {
        const refreshedAt = (await sources.catalogueRefreshedAt?.()) ?? null;
        if (refreshedAt === null) this.remove();
        else this.set(Math.round((Date.now() - refreshedAt.getTime()) / 1000));
      } catch {
        this.remove();
      }
    },
  });
  new Gauge({
    name: "orders_pending_reconciliation",
    help: "Orders whose outcome at Plum is not known yet (absent while the ledger is unreachable).",
    registers: [registry],
    async collect() {
      // A throwing collector fails the whole scrape: every other metric would vanish while the database is down,
      // exactly when they matter. remove() without labels drops the sample (unlike reset(), which reports 0).
      // The count runs at most once per PENDING_COUNT_MAX_AGE_MS, however often (or by whom) /metrics is scraped.
      const now = performance.now();
      if (pending !== null && now - pending.at < PENDING_COUNT_MAX_AGE_MS) return this.set(pending.value);
      try {
        pending = { value: await sources.pendingReconciliation(), at: now };
        this.set(pending.value);
      } catch {
        pending = null;
        this.remove();
      }
    },
  });
  new Gauge({
    name: "orders_plum_access_token_expiry_seconds",
    help: "Seconds until the Plum access token expires (negative: expired; absent: unknown).",
    registers: [registry],
    collect() {
      const expiresAt = sources.tokenExpiresAt();
      // reset() would report 0 ("expires now") for an unlabeled gauge; remove() leaves the sample absent.
      if (expiresAt === null) this.remove();
      else this.set(Math.round((expiresAt.getTime() - Date.now()) / 1000));
    },
  });
  return metrics;
}

/** The shared Plum budget (issue 16); absent while the ledger is unreachable. */
function budgetMetrics(registry: Registry, sources: MetricSources): void {
  // The queue gauges are registered with the operations metrics (operationsMetrics.ts).
  const { plumBudget } = sources;
  if (plumBudget === undefined) return;
  let readings: Promise<BudgetReading[]> | null = null;
  // One read of the budget serves both gauges of a scrape.
  const read = () => (readings ??= plumBudget().finally(() => setTimeout(() => (readings = null), 0)));
  new Gauge({
    name: "orders_plum_budget_used",
    help: "Sends to Plum in the current window (the strict sliding 60 s span) per operation, across all replicas.",
    labelNames: ["operation"],
    registers: [registry],
    async collect() {
      try {
        for (const { operation, used } of await read()) this.set({ operation }, used);
      } catch {
        this.reset();
      }
    },
  });
  new Gauge({
    name: "orders_plum_budget_limit",
    help: "Sends allowed per window per Plum operation (the shared budget's configured limit).",
    labelNames: ["operation"],
    registers: [registry],
    async collect() {
      try {
        for (const { operation, limit } of await read()) this.set({ operation }, limit);
      } catch {
        this.reset();
      }
    },
  });
}
