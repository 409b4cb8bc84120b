// The ledger outlives the process: orders placed before a restart are served after it from the ledger alone. The
// new instance talks to a fresh simulator that knows nothing, so anything it answers must come from the ledger.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ETIHAD_GUEST_PRODUCT_ID } from "../../src/simulator/index.js";
import { startTestApp, type TestApp } from "../support/harness.js";
import { airmilesInput, newPoNumber } from "../support/orderInputs.js";
import { orderStatusById, orderStatusByPoNumber, placeAirmilesStatus } from "../support/orderStatusOperations.js";
import { simOrdersFor } from "../support/plumDirect.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres.js";

describe.each([
  { engine: "SQLite file", postgres: false },
  { engine: "PostgreSQL", postgres: true },
])("$engine: restart", ({ postgres }) => {
  let db: TestDatabase | undefined;
  let dir: string | undefined;
  let databaseUrl = "";
  const apps: TestApp[] = [];

  beforeAll(async () => {
    if (postgres) {
      db = await createTestDatabase();
      databaseUrl = db.url;
    } else {
      dir = await mkdtemp(join(tmpdir(), "orders-restart-"));
      databaseUrl = `sqlite:${join(dir, "orders.sqlite")}`;
    }
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function start(): Promise<TestApp> {
    // Each instance embeds its own simulator: the second one starts empty.
    const app = await startTestApp({ DATABASE_URL: databaseUrl });
    apps.push(app);
    return app;
  }

  it("serves orders placed before the restart from the ledger and replays their placement", async () => {
    const before = await start();
    const realtime = airmilesInput({ poNumber: newPoNumber("RST") });
    // A delayed product: its delivery status was learned from a webhook before the restart.
    const delayed = airmilesInput({
      poNumber: newPoNumber("RST"),
      productId: ETIHAD_GUEST_PRODUCT_ID,
      denomination: 50,
    });
    const rejected = airmilesInput({
      poNumber: newPoNumber("RST"),
      productId: ETIHAD_GUEST_PRODUCT_ID,
      denomination: 30,
    });
    const placed = await placeAirmilesStatus(before.url, realtime);
    const placedDelayed = await placeAirmilesStatus(before.url, delayed);
    expect(placed.outcome).toBe("PLACED");
    expect(placedDelayed.outcome).toBe("PLACED");
    expect((await placeAirmilesStatus(before.url, rejected)).outcome).toBe("REJECTED");
    await before.sim.deliver(Number(placedDelayed.order?.orderId), "delivered");
    expect((await orderStatusById(before.url, placedDelayed.order?.orderId as string))?.deliveryStatus).toBe(
      "delivered",
    );
    await before.close();

    const after = await start();
    expect(after.sim.orders()).toEqual([]);
    const orderId = placed.order?.orderId as string;

    expect(await orderStatusById(after.url, orderId)).toEqual(placed.order);
    expect(await orderStatusByPoNumber(after.url, realtime.poNumber)).toEqual(placed.order);
    expect(await orderStatusById(after.url, placedDelayed.order?.orderId as string)).toMatchObject({
      deliveryStatus: "delivered",
    });

    const replayed = await placeAirmilesStatus(after.url, realtime);
    expect(replayed.outcome).toBe("REPLAYED");
    expect(replayed.order).toEqual(placed.order);
    const replayedRejection = await placeAirmilesStatus(after.url, rejected);
    expect(replayedRejection.outcome).toBe("REJECTED");
    expect(replayedRejection.errors.map((e) => e.code)).toEqual(["INVALID_DENOMINATION"]);

    // Nothing reached the new Plum: every answer came from the ledger.
    expect(after.sim.count("placeOrder")).toBe(0);
    expect(after.sim.count("getOrderDetails")).toBe(0);
    expect(simOrdersFor(after.sim, realtime.poNumber)).toHaveLength(0);

    // A new order after the restart gets an id of its own (the fresh simulator must not reuse the ledger's ids).
    const fresh = await placeAirmilesStatus(after.url, airmilesInput({ poNumber: newPoNumber("RST") }));
    expect(fresh.outcome).toBe("PLACED");
    expect([placed.order?.orderId, placedDelayed.order?.orderId]).not.toContain(fresh.order?.orderId);
    expect(await orderStatusById(after.url, orderId)).toEqual(placed.order);
  });
});
