// SIGTERM while an order is in flight at Plum (a rolling deploy): the process stops taking new work but lets
// the order finish, answers the caller, records the order as PLACED, and exits 0. Killing it mid-order would
// leave an order whose outcome nobody knows.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { print } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPlumSimulator, type PlumSimulator } from "../../src/simulator/index.js";
import { openLedger } from "../../src/storage/openLedger.js";
import { PlaceAirmilesOrderDocument, type PlaceAirmilesOrderMutation } from "../__generated__/graphql.js";
import { externalPlumEnv } from "../support/externalPlum.js";
import { startTestApp } from "../support/harness.js";
import { airmilesInput } from "../support/orderInputs.js";
import { sendAirmiles } from "../support/orderOperations.js";
import { openRawConnection, type RawConnection } from "../support/rawHttp.js";
import { startService, type ServiceProcess } from "../support/serviceProcess.js";

// Sent over raw connections, which take the query text.
const PLACE_AIRMILES = print(PlaceAirmilesOrderDocument);

let sim: PlumSimulator;
let dir: string;
let service: ServiceProcess | undefined;

beforeAll(async () => {
  sim = await createPlumSimulator();
  dir = await mkdtemp(join(tmpdir(), "orders-sigterm-"));
});
afterAll(async () => {
  await service?.kill();
  await sim?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("SIGTERM during an in-flight order", () => {
  it("finishes the order, answers PLACED, records it, and exits 0", async () => {
    const databaseUrl = `sqlite:${join(dir, "orders.sqlite")}`;
    service = startService({
      NODE_ENV: "development",
      PORT: "0",
      LOG_LEVEL: "info",
      DATABASE_URL: databaseUrl,
      RECONCILE_INTERVAL_MS: "3600000",
      SHUTDOWN_GRACE_MS: "20000",
      ...externalPlumEnv(sim),
    });
    const url = await service.listening();

    sim.inject({ kind: "latency", ms: 2_000 });
    const input = airmilesInput();
    const response = sendAirmiles(url, input);
    await expect.poll(() => sim.count("placeOrder"), { timeout: 10_000, interval: 20 }).toBe(1);
    service.child.kill("SIGTERM");

    const res = await response;
    expect(res.status).toBe(200);
    expect(res.data?.placeAirmilesOrder.outcome).toBe("PLACED");
    expect(await service.exited).toBe(0);
    expect(service.stdout()).toContain('"msg":"stopped"');
    expect(sim.count("placeOrder")).toBe(1);

    const ledger = await openLedger(databaseUrl);
    try {
      const record = await ledger.findByPlumPoNumber(input.poNumber);
      expect(record?.state).toBe("PLACED");
      expect(record?.orderId).toBe(res.data?.placeAirmilesOrder.order?.orderId);
      expect(record?.leaseOwner ?? null).toBeNull();
    } finally {
      await ledger.close();
    }
  });
});

describe("new work during the drain", () => {
  it("refuses a mutation that arrives on a kept-alive connection (503, nothing placed) and closes connections after their last response", async () => {
    const t = await startTestApp();
    const origin = new URL(t.url).origin;
    const connections: RawConnection[] = [];
    try {
      t.sim.inject({ kind: "latency", ms: 1_500 });
      const first = airmilesInput();
      const inFlight = await openRawConnection(origin);
      const late = await openRawConnection(origin);
      connections.push(inFlight, late);
      inFlight.begin("POST", "/graphql", JSON.stringify({ query: PLACE_AIRMILES, variables: { input: first } }));
      const firstResponse = inFlight.finish();
      firstResponse.catch(() => {}); // awaited below; a failure before then must not surface as unhandled
      await expect.poll(() => t.sim.count("placeOrder"), { timeout: 5_000, interval: 20 }).toBe(1);

      // A router's pooled connection that starts a new mutation just as the shutdown begins.
      const second = airmilesInput();
      late.begin("POST", "/graphql", JSON.stringify({ query: PLACE_AIRMILES, variables: { input: second } }));
      await new Promise((resolve) => setTimeout(resolve, 200)); // let the server parse the request line
      const closing = t.close();
      const refused = await late.finish();

      expect(refused.status).toBe(503);
      expect(refused.headers["connection"]).toBe("close");
      expect(JSON.parse(refused.body)).toMatchObject({ errors: [{ extensions: { code: "SERVICE_UNAVAILABLE" } }] });

      const placed = await firstResponse;
      expect(placed.status).toBe(200);
      expect((JSON.parse(placed.body) as { data: PlaceAirmilesOrderMutation }).data.placeAirmilesOrder.outcome).toBe(
        "PLACED",
      );
      // No further request can ride on this connection into a stopping process.
      expect(placed.headers["connection"]).toBe("close");
      await closing;
      expect(t.sim.count("placeOrder")).toBe(1);
      expect(t.sim.findOrder({ poNumber: second.poNumber })).toBeUndefined();
    } finally {
      for (const connection of connections) connection.destroy();
      await t.close();
    }
  });
});
