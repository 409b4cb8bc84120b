// The alert conditions as metrics (deploy/prometheus/orders-alerts.yml pages on them; docs/runbook.md explains
// each). Every label is a bounded enum. A source that fails drops its samples for that scrape instead of failing
// the whole scrape: the other metrics matter most exactly when the ledger is down.
import { Counter, Gauge, type Registry } from "prom-client";
import { ALERT_REASONS, PENDING_AGE_BUCKETS, type OperationsCounts } from "../orders/operations/counts.js";
import type { AlertReason } from "../orders/placement/evidence.js";

export interface OperationsSources {
  /** Ledger counts (orders needing an operator, pending by age, placed orders awaiting delivery). */
  operationsCounts?: () => Promise<OperationsCounts>;
  refreshTokenExpiresAt?: () => Date | null;
  /** Placement queue (issue 16). Absent: no queue exists, so nothing is queued (depth 0, age 0). */
  queueDepth?: () => Promise<number>;
  queueOldestAgeSeconds?: () => Promise<number | null>;
  /** The same verdict as GET /ready. */
  ready?: () => Promise<boolean>;
}

export interface OperationsMetrics {
  operatorAlerts: Counter<"reason">;
  tokenRefreshes: Counter<"result">;
}

/** Ledger counts are computed at most this often, whatever the scrape rate (several gauges share one read). */
const COUNTS_MAX_AGE_MS = 10_000;

export function registerOperationsMetrics(registry: Registry, sources: OperationsSources): OperationsMetrics {
  const registers = [registry];
  const operatorAlerts = new Counter({
    name: "orders_operator_alerts_total",
    help: "Times the placement engine raised an operator alert, by reason (every raise, including repeats for one order).",
    labelNames: ["reason"],
    registers,
  });
  for (const reason of ALERT_REASONS) operatorAlerts.inc({ reason }, 0);
  const tokenRefreshes = new Counter({
    name: "orders_plum_token_refreshes_total",
    help: "Plum token refresh calls by result (success, failure).",
    labelNames: ["result"],
    registers,
  });
  for (const result of ["success", "failure"]) tokenRefreshes.inc({ result }, 0);

  let cached: { at: number; value: Promise<OperationsCounts> } | null = null;
  const counts = async (): Promise<OperationsCounts | null> => {
    const read = sources.operationsCounts;
    if (read === undefined) return null;
    const now = performance.now();
    if (cached === null || now - cached.at >= COUNTS_MAX_AGE_MS) cached = { at: now, value: read() };
    const current = cached;
    return current.value.catch(() => {
      if (cached === current) cached = null;
      return null;
    });
  };

  new Gauge({
    name: "orders_needing_operator",
    help: "Orders that carry an operator alert, by reason (absent while the ledger is unreachable).",
    labelNames: ["reason"],
    registers,
    async collect() {
      const c = await counts();
      if (c === null) return this.reset();
      for (const reason of ALERT_REASONS) this.set({ reason }, c.needingOperator[reason as AlertReason]);
    },
  });
  new Gauge({
    name: "orders_pending_by_age",
    help: "PENDING orders (outcome at Plum not known yet) by time since they were claimed.",
    labelNames: ["age"],
    registers,
    async collect() {
      const c = await counts();
      if (c === null) return this.reset();
      for (const { label } of PENDING_AGE_BUCKETS) this.set({ age: label }, c.pendingByAge[label]);
    },
  });
  new Gauge({
    name: "orders_pending_oldest_age_seconds",
    help: "Seconds since the oldest PENDING order was claimed (0: none pending; absent while the ledger is unreachable).",
    registers,
    async collect() {
      const c = await counts();
      if (c === null) this.remove();
      else this.set(c.oldestPendingAgeSeconds ?? 0);
    },
  });
  new Gauge({
    name: "orders_awaiting_delivery",
    help: "Orders placed in the last 7 days whose delivery is still pending (delayed products wait for Plum's webhook).",
    registers,
    async collect() {
      const c = await counts();
      if (c === null) this.remove();
      else this.set(c.awaitingDelivery);
    },
  });
  new Gauge({
    name: "orders_awaiting_delivery_oldest_age_seconds",
    help: "Seconds since the oldest order still awaiting delivery was placed (0: none).",
    registers,
    async collect() {
      const c = await counts();
      if (c === null) this.remove();
      else this.set(c.oldestAwaitingDeliveryAgeSeconds ?? 0);
    },
  });
  new Gauge({
    name: "orders_plum_refresh_token_expiry_seconds",
    help: "Seconds until the Plum refresh token expires (negative: expired; absent: unknown).",
    registers,
    collect() {
      const expiresAt = sources.refreshTokenExpiresAt?.() ?? null;
      if (expiresAt === null) this.remove();
      else this.set(Math.round((expiresAt.getTime() - Date.now()) / 1000));
    },
  });
  new Gauge({
    name: "orders_placement_queue_depth",
    help: "Placements waiting in the queue for Plum's rate budget.",
    registers,
    async collect() {
      try {
        this.set((await sources.queueDepth?.()) ?? 0);
      } catch {
        this.remove();
      }
    },
  });
  new Gauge({
    name: "orders_placement_queue_oldest_age_seconds",
    help: "Seconds the oldest queued placement has waited (0: the queue is empty).",
    registers,
    async collect() {
      try {
        this.set((await sources.queueOldestAgeSeconds?.()) ?? 0);
      } catch {
        this.remove();
      }
    },
  });
  new Gauge({
    name: "orders_ready",
    help: "1 when this replica is ready to take orders (the same checks as GET /ready), else 0.",
    registers,
    async collect() {
      const ready = sources.ready;
      if (ready === undefined) return this.remove();
      this.set((await ready().catch(() => false)) ? 1 : 0);
    },
  });
  return { operatorAlerts, tokenRefreshes };
}
