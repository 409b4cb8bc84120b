// Everything that talks to Plum: the credentials (managed or static tokens), the shared budget's gate, the API
// client and the order-history client.
import type { Logger } from "pino";
import type { Config } from "../../config/config.js";
import type { PlumBudget } from "../../orders/budget/PlumBudget.js";
import { budgetGate } from "../../orders/budget/plumGate.js";
import type { PlumGate } from "../../plum/gate.js";
import { OrderHistoryClient } from "../../plum/orderHistory.js";
import { PlumClient } from "../../plum/PlumClient.js";
import type { Ledger } from "../../storage/ledger.js";
import { createCredentials, type PlumCredentials } from "../credentials.js";
import type { Metrics } from "../metrics.js";
import type { BuiltInPlum } from "./builtInPlum.js";

export interface PlumClients {
  credentials: PlumCredentials;
  plum: PlumClient;
  history: OrderHistoryClient;
}

export async function createPlumClients(deps: {
  config: Config;
  apiUrl: string;
  builtIn: BuiltInPlum | null;
  ledger: Ledger;
  budget: PlumBudget;
  metrics: Metrics;
  log: Logger;
}): Promise<PlumClients> {
  const { config, apiUrl, ledger, metrics, log } = deps;
  const credentials = await createCredentials({
    config,
    ledger,
    simulator: deps.builtIn,
    log,
    onRefresh: (result) => metrics.tokenRefreshes.inc({ result }),
  });
  const gate = countPenalties(budgetGate(deps.budget, { maxWaitMs: config.budget.lookupWaitMs, log }), metrics);
  const plum = new PlumClient({
    apiUrl,
    tokens: credentials,
    connectTimeoutMs: config.plum.connectTimeoutMs,
    headersTimeoutMs: config.plum.headersTimeoutMs,
    bodyTimeoutMs: config.plum.bodyTimeoutMs,
    maxConnections: config.plum.maxConnections,
    record: (entry) => ledger.appendAttempt(entry),
    observe: (operation, outcome, seconds) => metrics.plumDuration.observe({ operation, outcome }, seconds),
    gate,
  });
  const history = new OrderHistoryClient({
    apiUrl,
    tokens: credentials,
    timeoutMs: config.plum.connectTimeoutMs + config.plum.headersTimeoutMs + config.plum.bodyTimeoutMs,
    observe: (outcome, seconds) => metrics.plumDuration.observe({ operation: "getOrderHistory", outcome }, seconds),
    gate,
  });
  return { credentials, plum, history };
}

/** Every rate-limit answer Plum gives is counted, whichever replica saw it. */
function countPenalties(gate: PlumGate, metrics: Metrics): PlumGate {
  return {
    admit: (operation) => gate.admit(operation),
    rateLimited(operation, penaltySeconds) {
      metrics.plumPenalties.inc({ operation });
      gate.rateLimited(operation, penaltySeconds);
    },
  };
}
