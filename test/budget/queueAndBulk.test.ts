// Issue 16, one process: the queue bound, FIFO order, the queue's progress on retry and in placement(poNumber),
// bulk validation and in-call duplicates, the per-call maximum, and the budget's metrics.
import { setTimeout as sleep } from "node:timers/promises";
import { request } from "undici";
import { describe, expect, it } from "vitest";
import {
  PlaceAirmilesOrderQueuedDocument,
  PlaceAirmilesOrdersDocument,
  PlacementStatusDocument,
  PlaceTopupOrdersDocument,
} from "../__generated__/graphql.js";
import { gql } from "../support/graphqlClient.js";
import { useTestApp } from "../support/harness.js";
import { airmilesInput, newPoNumber, realtimeTopupInput } from "../support/orderInputs.js";
import { valueOf, parsePrometheus } from "../support/prometheusText.js";
import { inputs, placeBulk } from "./support.js";

async function placeOne(url: string, poNumber: string) {
  const response = await gql(url, PlaceAirmilesOrderQueuedDocument, { input: airmilesInput({ poNumber }) });
  const payload = response.data?.placeAirmilesOrder;
  if (!payload) throw new Error(JSON.stringify(response.errors));
  return payload;
}

describe("queue bound and progress (one slot per minute: the queue cannot drain during the test)", () => {
  const t = useTestApp({
    env: {
      PLUM_BUDGET_PLACE_ORDER: "1",
      PLUM_BUDGET_WINDOW_MS: "60000",
      PLACEMENT_QUEUE_MAX: "10",
      BULK_PLACEMENT_MAX: "20",
      PLACEMENT_DISPATCH_INTERVAL_MS: "50",
    },
  });

  it("sends the first at once, queues the next up to the bound, refuses past it, shows the progress", async () => {
    const first = await placeOne(t.url, newPoNumber("now"));
    expect(first.outcome).toBe("PLACED");

    const items = inputs(15, "bound");
    const answers = await placeBulk(t.url, items);
    const queued = answers.slice(0, 10);
    for (const answer of queued)
      expect(answer).toMatchObject({ outcome: "PENDING", errors: [{ code: "QUEUED", retryable: true }] });
    // The estimate grows with the queue position: one minute (plus margin) per slot.
    const estimates = queued.map((a) => a.errors[0]?.retryAfterSeconds ?? 0);
    expect(estimates).toEqual([...estimates].sort((x, y) => x - y));
    expect(estimates[0]).toBeGreaterThanOrEqual(60);
    expect(estimates[9]).toBeGreaterThanOrEqual(600);
    for (const answer of answers.slice(10)) {
      expect(answer).toMatchObject({ outcome: "REJECTED", errors: [{ code: "RATE_LIMITED", retryable: true }] });
    }
    // Nothing past the bound was claimed: those poNumbers are unknown.
    for (const item of items.slice(10)) expect(await t.app.ledger.findByCallerPoNumber(null, item.poNumber)).toBeNull();
    // A new single placement over the bound is refused too; nothing claimed.
    const over = await placeOne(t.url, newPoNumber("over"));
    expect(over).toMatchObject({ outcome: "REJECTED", errors: [{ code: "RATE_LIMITED", retryable: true }] });

    // A retry of a queued order keeps its place and shows its progress; so does placement(poNumber).
    const third = items[2]?.poNumber as string;
    const retry = await placeOne(t.url, third);
    expect(retry).toMatchObject({ outcome: "PENDING", errors: [{ code: "QUEUED", retryable: true }] });
    expect(retry.errors[0]?.retryAfterSeconds).toBe(estimates[2]);
    const status = await gql(t.url, PlacementStatusDocument, { poNumber: third });
    expect(status.data?.placement).toMatchObject({ outcome: "PENDING", errors: [{ code: "QUEUED", retryable: true }] });
    // Nothing queued reached Plum.
    expect(t.sim.count("placeOrder")).toBe(1);
    const row = await t.app.ledger.findByCallerPoNumber(null, third);
    expect(row).toMatchObject({
      state: "PENDING",
      sendAttempts: 0,
      lastSentAt: null,
      leaseOwner: null,
      nextCheckAt: null,
    });
    expect(row?.sends).toEqual([{ n: 1, answer: "queued" }]);

    // The metrics the ops kit alerts on.
    const text = await (await request(`${new URL(t.url).origin}/metrics`)).body.text();
    const samples = parsePrometheus(text);
    expect(valueOf(samples, "orders_placement_queue_depth")).toBe(10);
    expect(valueOf(samples, "orders_placement_queue_oldest_age_seconds")).toBeGreaterThanOrEqual(0);
    expect(valueOf(samples, "orders_plum_budget_used", { operation: "placeOrder" })).toBe(1);
    expect(valueOf(samples, "orders_plum_budget_limit", { operation: "placeOrder" })).toBe(1);
    expect(text).toContain("orders_plum_penalties_total");
  });
});

describe("FIFO, bulk validation and duplicates within a call", () => {
  const t = useTestApp({
    env: {
      PLUM_BUDGET_PLACE_ORDER: "10",
      PLUM_BUDGET_WINDOW_MS: "400",
      PLUM_BUDGET_MARGIN_MS: "100",
      BULK_PLACEMENT_MAX: "40",
      PLACEMENT_DISPATCH_INTERVAL_MS: "20",
    },
  });

  it("sends the queue in input order", async () => {
    const items = inputs(30, "fifo");
    const answers = await placeBulk(t.url, items);
    expect(answers.every((a) => a.outcome === "PENDING")).toBe(true);
    const deadline = Date.now() + 20_000;
    while (t.sim.orders().filter((o) => o.poNumber.startsWith("fifo")).length < 30 && Date.now() < deadline)
      await sleep(50);
    const sent = t.sim
      .orders()
      .filter((o) => o.poNumber.startsWith("fifo"))
      .sort((a, b) => a.orderId - b.orderId)
      .map((o) => o.poNumber);
    expect(sent).toEqual(items.map((i) => i.poNumber));
    // Retries now replay.
    const again = await placeBulk(t.url, items.slice(0, 3));
    expect(again.map((a) => a.outcome)).toEqual(["REPLAYED", "REPLAYED", "REPLAYED"]);
  });

  it("answers each item in input order: invalid input, repeats in the call, conflicts, replays", async () => {
    const placed = airmilesInput({ poNumber: newPoNumber("known") });
    await placeBulk(t.url, [placed]);
    const deadline = Date.now() + 10_000;
    while (
      (await t.app.ledger.findByCallerPoNumber(null, placed.poNumber))?.state !== "PLACED" &&
      Date.now() < deadline
    )
      await sleep(50);

    const repeated = newPoNumber("rep");
    const fresh = airmilesInput({ poNumber: repeated });
    const answers = await placeBulk(t.url, [
      fresh,
      airmilesInput({ poNumber: newPoNumber("bad"), email: "not-an-email" }),
      airmilesInput({ poNumber: repeated, denomination: 60 }),
      placed,
      { ...placed, denomination: 70 },
      fresh,
    ]);
    expect(answers.map((a) => `${a.outcome}:${a.errors.map((e) => e.code).join(",")}`)).toEqual([
      "PENDING:QUEUED",
      "REJECTED:INVALID_INPUT",
      "REJECTED:PO_NUMBER_CONFLICT",
      "REPLAYED:",
      // The first is a replay, so the same poNumber again in this call is a repeat.
      "REJECTED:PO_NUMBER_CONFLICT",
      "REJECTED:PO_NUMBER_CONFLICT",
    ]);
    expect(answers[1]?.errors[0]?.field).toEqual(["inputs", "1", "email"]);
    expect(answers[2]?.errors[0]?.field).toEqual(["inputs", "2", "poNumber"]);
    expect(answers[3]?.order?.poNumber).toBe(placed.poNumber);
    // Only the first item was claimed under the repeated poNumber, with its own order.
    const row = await t.app.ledger.findByCallerPoNumber(null, repeated);
    expect(row?.request?.denomination).toBe(50);
  });

  it("placeTopupOrders: the same semantics for top-ups, validated per item", async () => {
    const [first, second] = [realtimeTopupInput(), realtimeTopupInput()];
    const good = [first, second];
    const bad = realtimeTopupInput({ userMeta: { topupPhoneCode: "+91", topupPhoneNumber: "12" } });
    const response = await gql(t.url, PlaceTopupOrdersDocument, { inputs: [first, bad, second] });
    const answers = response.data?.placeTopupOrders ?? [];
    expect(answers.map((a) => `${a.outcome}:${a.errors[0]?.code ?? ""}`)).toEqual([
      "PENDING:QUEUED",
      "REJECTED:INVALID_INPUT",
      "PENDING:QUEUED",
    ]);
    expect(answers[1]?.errors[0]?.field?.slice(0, 2)).toEqual(["inputs", "1"]);
    const deadline = Date.now() + 10_000;
    const placed = async () =>
      (await Promise.all(good.map((i) => t.app.ledger.findByCallerPoNumber(null, i.poNumber)))).every(
        (r) => r?.state === "PLACED",
      );
    while (!(await placed()) && Date.now() < deadline) await sleep(50);
    expect(await placed()).toBe(true);
  });

  it("refuses a call with more items than the maximum, claiming nothing", async () => {
    const items = inputs(41, "max");
    const answers = await placeBulk(t.url, items);
    expect(answers).toHaveLength(41);
    for (const answer of answers)
      expect(answer).toMatchObject({ outcome: "REJECTED", errors: [{ code: "INVALID_INPUT", field: ["inputs"] }] });
    expect(await t.app.ledger.findByCallerPoNumber(null, items[0]?.poNumber as string)).toBeNull();
  });

  it("a different order under a known poNumber is a conflict", async () => {
    const po = newPoNumber("conf");
    await placeBulk(t.url, [airmilesInput({ poNumber: po })]);
    const [answer] = await placeBulk(t.url, [airmilesInput({ poNumber: po, denomination: 80 })]);
    expect(answer).toMatchObject({ outcome: "REJECTED", errors: [{ code: "PO_NUMBER_CONFLICT" }] });
  });
});

describe("the operation-complexity limit counts the list", () => {
  const t = useTestApp({
    env: { MAX_QUERY_COMPLEXITY: "50", BULK_PLACEMENT_MAX: "100", PLUM_BUDGET_PLACE_ORDER: "100" },
  });

  it("scores one per item plus the selection: a short list passes, a long one is refused before anything runs", async () => {
    const short = await placeBulk(t.url, inputs(30, "cx-ok"));
    expect(short).toHaveLength(30);
    const long = inputs(45, "cx-long");
    const response = await gql(t.url, PlaceAirmilesOrdersDocument, { inputs: long });
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.extensions?.["code"]).toBe("QUERY_TOO_COMPLEX");
    expect(await t.app.ledger.findByCallerPoNumber(null, long[0]?.poNumber as string)).toBeNull();
  });
});
