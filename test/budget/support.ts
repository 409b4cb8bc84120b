// Shared set-up of the budget tests: a rate-limited simulator in this process, replicas as real processes on one
// PostgreSQL database, bulk placement over HTTP, and the ledger read straight from the database.
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { createPlumSimulator, type PlumSimulator, type RateLimits } from "../../src/simulator/index.js";
import {
  PlaceAirmilesOrdersDocument,
  type BulkItemFieldsFragment,
  type PlaceAirmilesOrderInput,
} from "../__generated__/graphql.js";
import { gql } from "../support/graphqlClient.js";
import { airmilesInput, newPoNumber } from "../support/orderInputs.js";
import type { TestDatabase } from "../support/postgres.js";

export interface Scale {
  windowMs: number;
  placeOrder: number;
  getOrderDetails: number;
  penaltySeconds: number;
}

export async function limitedSimulator(scale: Scale): Promise<PlumSimulator> {
  const rateLimits: RateLimits = { placeOrder: scale.placeOrder, getOrderDetails: scale.getOrderDetails };
  return createPlumSimulator({
    rateLimits,
    rateWindowMs: scale.windowMs,
    ratePenaltySeconds: scale.penaltySeconds,
    recordCalls: false,
  });
}

/** A replica's environment: the same budget the simulator enforces, scaled timings. */
export function replicaEnv(
  db: TestDatabase,
  sim: PlumSimulator,
  scale: Scale,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    NODE_ENV: "test",
    LOG_LEVEL: "info",
    DATABASE_URL: db.url,
    XOXODAY_API_URL: sim.apiUrl,
    XOXODAY_ACCESS_TOKEN: sim.tokens.accessToken,
    XOXODAY_CONNECT_TIMEOUT_MS: "1000",
    XOXODAY_HEADERS_TIMEOUT_MS: "1500",
    XOXODAY_BODY_TIMEOUT_MS: "1000",
    PLUM_BUDGET_WINDOW_MS: String(scale.windowMs),
    PLUM_BUDGET_MARGIN_MS: "200",
    PLUM_BUDGET_PLACE_ORDER: String(scale.placeOrder),
    PLUM_BUDGET_GET_ORDER_DETAILS: String(scale.getOrderDetails),
    PLUM_BUDGET_LOOKUP_WAIT_MS: "500",
    PLACEMENT_DISPATCH_INTERVAL_MS: "50",
    PLACEMENT_LEASE_MS: "1000",
    RECONCILE_INTERVAL_MS: "200",
    RECONCILE_SETTLE_MS: "300",
    XOXODAY_MAX_PROCESSING_MS: "100",
    RECONCILE_LOOKUP_INTERVAL_MS: "100",
    RECONCILE_MAX_BACKOFF_MS: "1500",
    RECONCILIATION_INTERVAL_MS: "0",
    SHUTDOWN_GRACE_MS: "2000",
    ...extra,
  };
}

export function inputs(count: number, prefix: string): PlaceAirmilesOrderInput[] {
  return Array.from({ length: count }, (_, i) =>
    airmilesInput({ poNumber: `${newPoNumber(prefix)}-${String(i).padStart(4, "0")}` }),
  );
}

export async function placeBulk(url: string, items: PlaceAirmilesOrderInput[]): Promise<BulkItemFieldsFragment[]> {
  const response = await gql(url, PlaceAirmilesOrdersDocument, { inputs: items });
  if (response.errors !== undefined || !response.data)
    throw new Error(`bulk placement failed: ${JSON.stringify(response.errors)}`);
  return response.data.placeAirmilesOrders;
}

export interface LedgerCounts {
  byState: Record<string, number>;
  queued: number;
}

export async function ledgerCounts(db: TestDatabase): Promise<LedgerCounts> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ state: string; n: string }>(
      "SELECT state, count(*) AS n FROM orders GROUP BY state",
    );
    const queued = await client.query<{ n: string }>("SELECT count(*) AS n FROM orders WHERE queued_at IS NOT NULL");
    return {
      byState: Object.fromEntries(rows.map((r) => [r.state, Number(r.n)])),
      queued: Number(queued.rows[0]?.n ?? 0),
    };
  } finally {
    await client.end();
  }
}

/** Polls until every one of `total` rows is PLACED (or the deadline passes). */
export async function untilAllPlaced(db: TestDatabase, total: number, timeoutMs: number): Promise<LedgerCounts> {
  const deadline = Date.now() + timeoutMs;
  let counts = await ledgerCounts(db);
  while ((counts.byState["PLACED"] ?? 0) < total && Date.now() < deadline) {
    await sleep(250);
    counts = await ledgerCounts(db);
  }
  return counts;
}

/** Every poNumber has exactly one order at Plum. */
export function duplicatesAtPlum(
  sim: PlumSimulator,
  poNumbers: readonly string[],
): { missing: number; duplicated: number } {
  const counts = new Map<string, number>();
  for (const order of sim.orders()) counts.set(order.poNumber, (counts.get(order.poNumber) ?? 0) + 1);
  let missing = 0;
  let duplicated = 0;
  for (const po of poNumbers) {
    const n = counts.get(po) ?? 0;
    if (n === 0) missing += 1;
    if (n > 1) duplicated += 1;
  }
  return { missing, duplicated };
}
