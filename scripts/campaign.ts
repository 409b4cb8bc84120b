// A full-size reward campaign: CAMPAIGN_ORDERS (2,000) orders through the bulk mutation, split across two replicas
// on one fresh PostgreSQL database, against the simulator enforcing Plum's limits (placeOrder 100 and
// getOrderDetails 200 per minute, 60 s penalty). CAMPAIGN_SCALE shortens the minute (0.1: a 6 s window) for a
// quicker run. Prints orders, duration, the observed peak rate in any window, rate-limit answers and duplicates.
// Needs PostgreSQL (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test).
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { createPlumSimulator } from "../src/simulator/index.js";
import { inputs, placeBulk } from "../test/budget/support.js";
import { createTestDatabase } from "../test/support/postgres.js";
import { startListeningService, stopAllServices } from "../test/support/serviceProcess.js";

const ORDERS = Number(process.env["CAMPAIGN_ORDERS"] ?? 2_000);
const SCALE = Number(process.env["CAMPAIGN_SCALE"] ?? 1);
const WINDOW_MS = Math.round(60_000 * SCALE);
const PLACE_LIMIT = 100;
const LOOKUP_LIMIT = 200;
const CHUNK = 500;

const db = await createTestDatabase();
const sim = await createPlumSimulator({
  rateLimits: { placeOrder: PLACE_LIMIT, getOrderDetails: LOOKUP_LIMIT },
  rateWindowMs: WINDOW_MS,
  ratePenaltySeconds: Math.max(1, Math.round(60 * SCALE)),
  recordCalls: false,
});
const env = {
  NODE_ENV: "test",
  LOG_LEVEL: "warn",
  DATABASE_URL: db.url,
  XOXODAY_API_URL: sim.apiUrl,
  XOXODAY_ACCESS_TOKEN: sim.tokens.accessToken,
  PLUM_BUDGET_WINDOW_MS: String(WINDOW_MS),
  PLUM_BUDGET_MARGIN_MS: String(Math.max(100, Math.round(1_000 * SCALE))),
  PLUM_BUDGET_PLACE_ORDER: String(PLACE_LIMIT),
  PLUM_BUDGET_GET_ORDER_DETAILS: String(LOOKUP_LIMIT),
  RECONCILIATION_INTERVAL_MS: "0",
};
const counts = async () => {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ placed: string; total: string }>(
      "SELECT count(*) FILTER (WHERE state = 'PLACED') AS placed, count(*) AS total FROM orders",
    );
    return { placed: Number(rows[0]?.placed ?? 0), total: Number(rows[0]?.total ?? 0) };
  } finally {
    await client.end();
  }
};

try {
  // The replicas log at warn; the harness reads their listening line at info, so start them at info and quiet.
  const [a, b] = await Promise.all([
    startListeningService({ ...env, LOG_LEVEL: "info" }),
    startListeningService({ ...env, LOG_LEVEL: "info" }),
  ]);
  const items = inputs(ORDERS, "campaign");
  const started = Date.now();
  const chunks = Array.from({ length: Math.ceil(ORDERS / CHUNK) }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK));
  const answers = (await Promise.all(chunks.map((chunk, i) => placeBulk(i % 2 === 0 ? a.url : b.url, chunk)))).flat();
  const queued = answers.filter((x) => x.errors[0]?.code === "QUEUED").length;
  console.log(
    `campaign: ${ORDERS} orders submitted in ${((Date.now() - started) / 1000).toFixed(1)} s (${queued} queued); window ${WINDOW_MS} ms, placeOrder ${PLACE_LIMIT}/window`,
  );
  let last = -1;
  for (;;) {
    const { placed } = await counts();
    if (placed !== last && placed % 100 < 10)
      console.log(`  ${((Date.now() - started) / 1000).toFixed(0)} s: ${placed} placed`);
    last = placed;
    if (placed >= ORDERS) break;
    await sleep(Math.min(5_000, WINDOW_MS / 4));
  }
  const seconds = (Date.now() - started) / 1000;
  const perPo = new Map<string, number>();
  for (const order of sim.orders()) perPo.set(order.poNumber, (perPo.get(order.poNumber) ?? 0) + 1);
  const duplicates = [...perPo.values()].filter((n) => n > 1).length;
  const missing = items.filter((i) => !perPo.has(i.poNumber)).length;
  const result = {
    orders: ORDERS,
    placedAtPlum: sim.orders().length,
    durationSeconds: Math.round(seconds),
    durationMinutes: Number((seconds / 60).toFixed(1)),
    windowMs: WINDOW_MS,
    limitPerWindow: PLACE_LIMIT,
    observedPeakPerWindow: sim.rates.peak("placeOrder", WINDOW_MS),
    observedPeakLookupsPerWindow: sim.rates.peak("getOrderDetails", WINDOW_MS),
    rateLimitAnswers: sim.rates.refused("placeOrder") + sim.rates.refused("getOrderDetails"),
    duplicates,
    missing,
  };
  console.log(JSON.stringify(result, null, 2));
  await Promise.all([a.stop(), b.stop()]);
  process.exitCode = duplicates === 0 && missing === 0 && result.rateLimitAnswers === 0 ? 0 : 1;
} finally {
  await stopAllServices();
  await sim.close();
  await db.drop();
}
