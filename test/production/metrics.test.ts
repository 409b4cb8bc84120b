// /metrics: Prometheus text with placements by kind and outcome, Plum latency by operation, the reconciliation
// backlog and the token's remaining life; labels are bounded values only, never a poNumber, e-mail, phone or id.
import { request } from "undici";
import { beforeAll, describe, expect, it } from "vitest";
import { createPlumSimulator } from "../../src/simulator/index.js";
import { externalPlumEnv } from "../support/externalPlum.js";
import { startTestApp, useTestApp, type TestApp } from "../support/harness.js";
import { airmilesInput, topupInput } from "../support/orderInputs.js";
import { sendAirmiles, sendTopup } from "../support/orderOperations.js";
import { parsePrometheus, samplesOf, valueOf, type Sample } from "../support/prometheusText.js";

const EMAIL = "metrics.person@example.com";
const PHONE = "9811122233";
const LOYALTY = "METRICS-LOYAL-42";

const t = useTestApp();
const poNumbers: string[] = [];
const orderIds: string[] = [];

async function scrape(app: TestApp): Promise<{ status: number; contentType: string; text: string; samples: Sample[] }> {
  const response = await request(`${new URL(app.url).origin}/metrics`);
  const text = await response.body.text();
  return {
    status: response.statusCode,
    contentType: String(response.headers["content-type"]),
    text,
    samples: response.statusCode === 200 ? parsePrometheus(text) : [],
  };
}

beforeAll(async () => {
  const air = airmilesInput({ email: EMAIL, contact: "+1-470-555-0100", userMeta: { loyaltyMemberId: LOYALTY } });
  const top = topupInput({ email: EMAIL, userMeta: { topupPhoneCode: "+91", topupPhoneNumber: PHONE } });
  const invalid = airmilesInput({ email: EMAIL, denomination: -1 });
  const unknown = airmilesInput({ email: EMAIL });
  poNumbers.push(air.poNumber, top.poNumber, invalid.poNumber, unknown.poNumber);

  const placed = [await sendAirmiles(t.url, air), await sendTopup(t.url, top)];
  expect((await sendAirmiles(t.url, invalid)).data?.placeAirmilesOrder.errors[0]?.code).toBe("INVALID_INPUT");
  t.sim.inject({ kind: "createdThen502" });
  expect((await sendAirmiles(t.url, unknown)).data?.placeAirmilesOrder.outcome).toBe("PENDING");
  expect((await sendAirmiles(t.url, air)).data?.placeAirmilesOrder.outcome).toBe("REPLAYED");
  for (const res of placed) {
    const order =
      res.data &&
      ("placeAirmilesOrder" in res.data ? res.data.placeAirmilesOrder.order : res.data.placeTopupOrder.order);
    if (order) orderIds.push(order.orderId);
  }
  expect(orderIds).toHaveLength(2);
  const pendingOrderId = t.sim.findOrder({ poNumber: unknown.poNumber })?.orderId;
  if (pendingOrderId !== undefined) orderIds.push(String(pendingOrderId));
});

describe("/metrics", () => {
  it("serves Prometheus text", async () => {
    const { status, contentType, samples } = await scrape(t);
    expect(status).toBe(200);
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(samples.length).toBeGreaterThan(0);
  });

  it("counts placements by kind, outcome and first error code", async () => {
    const { samples } = await scrape(t);
    const orders = (labels: Record<string, string>) => valueOf(samples, "orders_placements_total", labels);
    expect(orders({ kind: "AIRMILES", outcome: "PLACED", code: "none" })).toBe(1);
    expect(orders({ kind: "TOPUP", outcome: "PLACED", code: "none" })).toBe(1);
    expect(orders({ kind: "AIRMILES", outcome: "REPLAYED", code: "none" })).toBe(1);
    expect(orders({ kind: "AIRMILES", outcome: "PENDING", code: "OUTCOME_UNKNOWN" })).toBe(1);
    // Refused by validation before Plum: still a placement call, and a spike of them means a broken client.
    expect(orders({ kind: "AIRMILES", outcome: "REJECTED", code: "INVALID_INPUT" })).toBe(1);
  });

  it("has Plum's latency histogram by operation", async () => {
    const { samples } = await scrape(t);
    const placeCount = valueOf(samples, "orders_plum_request_duration_seconds_count", { operation: "placeOrder" });
    expect(placeCount).toBe(3); // two placed, one unknown; the replay and the invalid one never reached Plum
    expect(
      samplesOf(samples, "orders_plum_request_duration_seconds_bucket", { operation: "placeOrder", le: "+Inf" }).length,
    ).toBeGreaterThan(0);
    expect(valueOf(samples, "orders_plum_request_duration_seconds_sum", { operation: "placeOrder" })).toBeGreaterThan(
      0,
    );
  });

  it("reports the reconciliation backlog and the token's remaining life", async () => {
    const { samples } = await scrape(t);
    expect(valueOf(samples, "orders_pending_reconciliation")).toBe(1);
    const expiry = valueOf(samples, "orders_plum_access_token_expiry_seconds") ?? 0;
    expect(expiry).toBeGreaterThan(14 * 24 * 3600); // the simulator's tokens live 15 days
    expect(expiry).toBeLessThanOrEqual(15 * 24 * 3600);
  });

  it("reports the alert conditions: orders needing an operator, pending by age, the queue, readiness", async () => {
    const { samples } = await scrape(t);
    // One PENDING order (its outcome unknown a moment ago), none parked for an operator yet.
    expect(valueOf(samples, "orders_needing_operator", { reason: "order_needs_operator" })).toBe(0);
    expect(valueOf(samples, "orders_needing_operator", { reason: "po_number_held_by_different_order" })).toBe(0);
    expect(valueOf(samples, "orders_operator_alerts_total", { reason: "order_needs_operator" })).toBe(0);
    expect(valueOf(samples, "orders_pending_by_age", { age: "under_five_minutes" })).toBe(1);
    expect(valueOf(samples, "orders_pending_by_age", { age: "over_one_day" })).toBe(0);
    expect(valueOf(samples, "orders_pending_oldest_age_seconds")).toBeLessThan(60);
    // The airmiles order is realtime (delivered); the Airtel top-up is delayed: placed, awaiting its webhook.
    expect(valueOf(samples, "orders_awaiting_delivery")).toBe(1);
    // No queue exists yet: nothing is queued.
    expect(valueOf(samples, "orders_placement_queue_depth")).toBe(0);
    expect(valueOf(samples, "orders_placement_queue_oldest_age_seconds")).toBe(0);
    expect(valueOf(samples, "orders_ready")).toBe(1);
    expect(valueOf(samples, "orders_plum_token_refreshes_total", { result: "failure" })).toBe(0);
  });

  it("counts token refreshes and reports the refresh token's expiry once Plum has told it", async () => {
    expect((await request(`${t.sim.baseUrl}/__simulator/expire-token`, { method: "POST" })).statusCode).toBe(200);
    const input = airmilesInput({ email: EMAIL });
    poNumbers.push(input.poNumber);
    expect((await sendAirmiles(t.url, input)).data?.placeAirmilesOrder.outcome).toBe("PLACED");
    const { samples } = await scrape(t);
    expect(valueOf(samples, "orders_plum_token_refreshes_total", { result: "success" })).toBe(1);
    const refreshExpiry = valueOf(samples, "orders_plum_refresh_token_expiry_seconds") ?? 0;
    expect(refreshExpiry).toBeGreaterThan(29 * 24 * 3600); // refresh tokens live 30 days
    expect(refreshExpiry).toBeLessThanOrEqual(30 * 24 * 3600);
  });

  it("never uses a poNumber, e-mail, phone, loyalty id or order id as a label value", async () => {
    const { text, samples } = await scrape(t);
    const forbidden = [...poNumbers, ...orderIds, EMAIL, PHONE, LOYALTY, "470-555-0100"];
    expect(forbidden.filter((value) => text.includes(value))).toEqual([]);
    // Our metrics' labels are small enums.
    const ours = samples.filter((s) => s.name.startsWith("orders_"));
    for (const sample of ours) {
      for (const [key, value] of Object.entries(sample.labels)) {
        expect(value, `${sample.name}{${key}}`).toMatch(/^(?:[A-Za-z_]{1,40}|[0-9]{3}|[0-9.]+|\+Inf)$/);
      }
    }
  });
});

describe("/metrics when parts are down or unknown", () => {
  it('omits the token expiry when it is unknown, rather than reporting 0 ("expires now")', async () => {
    const sim = await createPlumSimulator();
    // A static access token (no refresh credentials): nothing learns its expiry.
    const { XOXODAY_API_URL, XOXODAY_ACCESS_TOKEN } = externalPlumEnv(sim);
    const app = await startTestApp({ XOXODAY_API_URL, XOXODAY_ACCESS_TOKEN });
    try {
      const { samples } = await scrape(app);
      expect(samplesOf(samples, "orders_plum_access_token_expiry_seconds")).toEqual([]);
    } finally {
      await app.close();
      await sim.close();
    }
  });

  it("still serves every other metric while the ledger is unreachable", async () => {
    const app = await startTestApp();
    try {
      await app.app.ledger.close();
      // A request counted while the ledger is down: the HTTP counter must still be served, with it.
      const health = await request(`${new URL(app.url).origin}/health`);
      await health.body.dump();
      expect(health.statusCode).toBe(200);
      const { status, samples } = await scrape(app);
      expect(status).toBe(200);
      expect(samplesOf(samples, "orders_pending_reconciliation")).toEqual([]);
      // The ledger's counts are absent (not 0, which would look like "all clear"); readiness says why.
      expect(samplesOf(samples, "orders_needing_operator")).toEqual([]);
      expect(samplesOf(samples, "orders_pending_oldest_age_seconds")).toEqual([]);
      expect(valueOf(samples, "orders_ready")).toBe(0);
      expect(valueOf(samples, "orders_http_requests_total", { route: "health", status: "200" })).toBe(1);
      expect(samplesOf(samples, "process_cpu_user_seconds_total")).toHaveLength(1);
    } finally {
      await app.close();
    }
  });
});
