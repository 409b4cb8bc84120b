// Issue 16: two replicas share one Plum budget through PostgreSQL. 1,000 orders arrive through the bulk mutation,
// split across both; the simulator enforces the same (scaled) limit with Plum's penalty. Every order is placed
// exactly once, Plum never has to refuse us, the observed rate stays within the budget in every window, and the
// reconciler's look-ups go on meanwhile. Then: a penalty pauses both replicas and nothing is lost; the dispatching
// replica dies mid-queue and the other finishes it without sending anything twice.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { PlumSimulator } from "../../src/simulator/index.js";
import { placeAirmilesStatus } from "../support/orderStatusOperations.js";
import { airmilesInput, newPoNumber } from "../support/orderInputs.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres.js";
import { startListeningService, stopAllServices } from "../support/serviceProcess.js";
import {
  duplicatesAtPlum,
  inputs,
  ledgerCounts,
  limitedSimulator,
  placeBulk,
  replicaEnv,
  untilAllPlaced,
  type Scale,
} from "./support.js";

// Plum's minute scaled to one second: 50 placeOrder and 40 getOrderDetails per any 1 s window.
const SCALE: Scale = { windowMs: 1_000, placeOrder: 50, getOrderDetails: 40, penaltySeconds: 2 };

let db: TestDatabase | undefined;
let sim: PlumSimulator | undefined;
afterEach(async () => {
  await stopAllServices();
  await sim?.close();
  sim = undefined;
  await db?.drop();
  db = undefined;
});
afterAll(async () => {
  await stopAllServices();
});

async function twoReplicas(scale: Scale) {
  db = await createTestDatabase();
  sim = await limitedSimulator(scale);
  const env = replicaEnv(db, sim, scale);
  const [a, b] = await Promise.all([startListeningService(env), startListeningService(env)]);
  return { db, sim, a, b };
}

describe("two replicas, one budget", () => {
  it("places 1,000 bulk orders exactly once, within the budget in every window, while reconciliation goes on", async () => {
    const { db, sim, a, b } = await twoReplicas(SCALE);
    // Five orders whose answers are lost (Plum created them, then a 502): the reconciler must look them up while
    // the queue drains.
    sim.inject({ kind: "createdThen502", operation: "placeOrder", times: 5 });
    const lost = [];
    for (let i = 0; i < 5; i += 1)
      lost.push(await placeAirmilesStatus(a.url, airmilesInput({ poNumber: newPoNumber("lost") })));
    expect(lost.map((p) => p.outcome)).toEqual(["PENDING", "PENDING", "PENDING", "PENDING", "PENDING"]);

    const all = inputs(1_000, "bulk");
    const started = Date.now();
    const chunks = [0, 1, 2, 3].map((i) => all.slice(i * 250, (i + 1) * 250));
    const answers = (await Promise.all(chunks.map((chunk, i) => placeBulk(i % 2 === 0 ? a.url : b.url, chunk)))).flat();
    expect(answers).toHaveLength(1_000);
    // Bulk items are claimed queued: PENDING with QUEUED, retryable, with an estimate.
    for (const answer of answers) {
      expect(answer.outcome).toBe("PENDING");
      expect(answer.errors[0]).toMatchObject({ code: "QUEUED", retryable: true });
      expect(answer.errors[0]?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    }

    const counts = await untilAllPlaced(db, 1_005, 90_000);
    const seconds = (Date.now() - started) / 1000;
    expect(counts.byState).toEqual({ PLACED: 1_005 });
    expect(counts.queued).toBe(0);
    expect(
      duplicatesAtPlum(
        sim,
        all.map((i) => i.poNumber),
      ),
    ).toEqual({ missing: 0, duplicated: 0 });
    expect(sim.orders()).toHaveLength(1_005);
    // Plum never refused us, and never saw more than the limit in any window.
    expect(sim.rates.refused("placeOrder")).toBe(0);
    expect(sim.rates.refused("getOrderDetails")).toBe(0);
    expect(sim.rates.peak("placeOrder", SCALE.windowMs)).toBeLessThanOrEqual(SCALE.placeOrder);
    expect(sim.rates.peak("getOrderDetails", SCALE.windowMs)).toBeLessThanOrEqual(SCALE.getOrderDetails);
    // The drain takes about 1,000 / 50 windows (slower than the budget only by the margin and the dispatchers).
    expect(seconds).toBeGreaterThan(15);
    // The reconciler's look-ups settled the lost answers while placements were queued (not after the queue).
    const lookups = sim.rates.acceptedAt("getOrderDetails");
    const sends = sim.rates.acceptedAt("placeOrder");
    expect(lookups.length).toBeGreaterThan(0);
    expect(lookups[0] as number).toBeLessThan(sends.at(-1) as number);
  }, 110_000);

  it("a penalty from Plum pauses both replicas; every queued order is still placed exactly once", async () => {
    const scale: Scale = { windowMs: 1_000, placeOrder: 20, getOrderDetails: 40, penaltySeconds: 2 };
    const { db, sim, a, b } = await twoReplicas(scale);
    const first = inputs(60, "pen-a");
    const second = inputs(60, "pen-b");
    await Promise.all([placeBulk(a.url, first), placeBulk(b.url, second)]);
    // Plum starts a penalty behind our back (another client on the account, or a limit lower than configured).
    sim.rates.penalize("placeOrder");
    const penalizedAt = Date.now();
    const counts = await untilAllPlaced(db, 120, 45_000);
    expect(counts.byState).toEqual({ PLACED: 120 });
    expect(
      duplicatesAtPlum(
        sim,
        [...first, ...second].map((i) => i.poNumber),
      ),
    ).toEqual({ missing: 0, duplicated: 0 });
    // The first refusal pauses the operation for every replica (the penalty is shared through the database): only the
    // sends already leaving get refused, where each replica probing on its own would have been refused again and again.
    const refused = sim.rates.refused("placeOrder");
    expect(refused).toBeGreaterThanOrEqual(1);
    expect(refused).toBeLessThanOrEqual(4);
    // Both replicas waited the penalty out instead of probing: the queue drained after it, not during it.
    expect((sim.rates.acceptedAt("placeOrder").at(-1) as number) - penalizedAt).toBeGreaterThanOrEqual(
      scale.penaltySeconds * 1000,
    );
  }, 90_000);

  it("the dispatching replica dies mid-queue: the other finishes the queue, nothing is sent twice", async () => {
    const scale: Scale = { windowMs: 1_000, placeOrder: 20, getOrderDetails: 40, penaltySeconds: 2 };
    const { db, sim, a, b } = await twoReplicas(scale);
    const items = inputs(100, "crash");
    await placeBulk(a.url, items);
    // Let the queue start draining (both dispatch), then kill A on the spot.
    while (sim.count("placeOrder") < 25) await new Promise((resolve) => setTimeout(resolve, 50));
    await a.kill();
    const counts = await untilAllPlaced(db, 100, 45_000);
    expect(counts.byState).toEqual({ PLACED: 100 });
    expect(
      duplicatesAtPlum(
        sim,
        items.map((i) => i.poNumber),
      ),
    ).toEqual({ missing: 0, duplicated: 0 });
    expect(sim.count("placeOrder")).toBe(100);
    expect(sim.rates.refused("placeOrder")).toBe(0);
    // B still answers and reports the queue empty.
    expect((await ledgerCounts(db)).queued).toBe(0);
    expect(await b.stop()).toBe(0);
  }, 90_000);
});
