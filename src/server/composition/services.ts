// The domain services on their ports: placement (and its queue), reads, the reconciler, the history comparison and
// the catalogue, and the bundle the GraphQL resolvers receive.
import type { Logger } from "pino";
import type { Caller } from "../../auth/caller.js";
import { CatalogueService } from "../../catalogue/CatalogueService.js";
import { OperatorDetector } from "../../catalogue/OperatorDetector.js";
import { WalletBalanceReader } from "../../catalogue/WalletBalanceReader.js";
import type { Config } from "../../config/config.js";
import type { OrderServices } from "../../graph/context.js";
import { withBudgetClass } from "../../orders/budget/budgetClass.js";
import type { PlumBudget } from "../../orders/budget/PlumBudget.js";
import { OrderList } from "../../orders/listing/OrderList.js";
import { OrderReader } from "../../orders/OrderReader.js";
import { PlacementService } from "../../orders/PlacementService.js";
import { placementStatus } from "../../orders/placementStatus.js";
import { QueueDispatcher } from "../../orders/QueueDispatcher.js";
import { ReconcilerLoop } from "../../orders/ReconcilerLoop.js";
import { ReconciliationJob } from "../../orders/reconciliation/ReconciliationJob.js";
import { refreshWithin, type UpstreamBudget } from "../../orders/upstreamBudget.js";
import type { Ledger } from "../../storage/ledger.js";
import type { Metrics } from "../metrics.js";
import type { PlumClients } from "./plumClients.js";

export interface AppServices {
  placement: PlacementService;
  dispatcher: QueueDispatcher;
  reader: OrderReader;
  reconciler: ReconcilerLoop;
  reconciliation: ReconciliationJob;
  catalogue: CatalogueService;
  /** What the resolvers receive (GraphContext.services). */
  graph: OrderServices;
}

export function createServices(deps: {
  config: Config;
  ledger: Ledger;
  plum: PlumClients;
  budget: PlumBudget;
  metrics: Metrics;
  log: Logger;
  replicaId: string;
}): AppServices {
  const { config, ledger, budget, metrics, log, replicaId } = deps;
  const { plum, history } = deps.plum;
  const placement = new PlacementService({
    store: ledger,
    // The engine's calls return what they exchanged; the engine commits it with its next ledger write.
    plum: {
      placeOrder: (data, options) => plum.exchangePlaceOrder(data, options),
      getOrderDetails: (lookup) => plum.exchangeOrderDetails(lookup),
    },
    log,
    replicaId,
    ...(config.poNumberKey === undefined ? {} : { poNumberKey: config.poNumberKey }),
    policy: {
      settleMs: config.reconcile.settleMs,
      maxProcessingMs: config.reconcile.maxProcessingMs,
      lookupIntervalMs: config.reconcile.lookupIntervalMs,
      maxBackoffMs: config.reconcile.maxBackoffMs,
      maxSendAttempts: config.reconcile.maxSendAttempts,
    },
    leaseMs: config.reconcile.leaseMs,
    onOutcome: (kind, outcome, code) => metrics.orders.inc({ kind: kind ?? "unknown", outcome, code: code ?? "none" }),
    onAlert: (reason) => metrics.operatorAlerts.inc({ reason }),
    queue: { budget, store: ledger, bound: config.budget.queueMax },
  });
  const dispatcher = new QueueDispatcher(placement, config.budget.dispatchIntervalMs, log);
  const reader = new OrderReader({ store: ledger, plum, placement, lookupConcurrency: 4 });
  // The reconciler's look-ups draw on the reconciliation share of the budget.
  const reconciler = new ReconcilerLoop(
    placement,
    config.reconcile.intervalMs,
    log,
    (n) => metrics.reconciled.inc(n),
    (fn) => withBudgetClass("reconciliation", fn),
  );
  const reconciliation = new ReconciliationJob({
    store: ledger,
    history,
    placement,
    log,
    owner: replicaId,
    intervalMs: config.reconciliation.intervalMs,
    windowDays: config.reconciliation.windowDays,
    pageSize: config.reconciliation.pageSize,
    perMinute: config.reconciliation.historyPerMinute,
    graceMs: config.reconciliation.graceMs,
    // Renewed before every page and adoption (a page may wait out Plum's 60 s penalty); a replica that dies mid-run
    // frees the job within three minutes.
    leaseMs: 180_000,
    onFinished: (outcome) => metrics.reconciliationRuns.inc({ result: outcome.status }),
  });
  const catalogue = new CatalogueService({
    store: ledger.catalogue,
    plum,
    log,
    owner: replicaId,
    refreshIntervalMs: config.catalogue.refreshIntervalMs,
    maxAgeMs: config.catalogue.maxAgeMs,
    onDemandIntervalMs: config.catalogue.onDemandIntervalMs,
    callsPerMinute: config.catalogue.callsPerMinute,
    dailyCallBudget: config.catalogue.dailyCallBudget,
    onRefresh: (reason, outcome) => metrics.catalogueRefreshes.inc({ reason, outcome }),
  });
  const graph: OrderServices = {
    placement,
    reader,
    orderList: new OrderList(ledger),
    callerRow: (subject: string | null, poNumber: string) => ledger.findByCallerPoNumber(subject, poNumber),
    placementStatus: (poNumber: string, caller: Caller, upstream: UpstreamBudget) =>
      placementStatus(
        {
          store: ledger,
          refresh: (row) => refreshWithin(upstream, row, (r) => placement.refresh(r)),
          queuedEstimate: (po) => placement.queuedEstimate(po),
        },
        poNumber,
        caller,
      ),
    bulk: { maxItems: config.budget.bulkMax, queued: () => dispatcher.nudge() },
    reconciliation: { job: reconciliation, store: ledger },
    catalogue: {
      service: catalogue,
      operators: new OperatorDetector(plum, config.catalogue.operatorCacheMs),
      balance: new WalletBalanceReader(plum, config.catalogue.balanceCacheMs),
      walletCurrency: config.catalogue.walletCurrency,
    },
  };
  return { placement, dispatcher, reader, reconciler, reconciliation, catalogue, graph };
}
