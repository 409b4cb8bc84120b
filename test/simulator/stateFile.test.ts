// The built-in simulator keeps its order book across restarts of the service (development: beside the SQLite
// ledger), so an order the ledger holds as pending can still be delivered after `npm start` is restarted.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/config.js";
import { simulatorStateFile } from "../../src/dev/simulatorStateFile.js";
import { startTestApp, type TestApp } from "../support/harness.js";
import { topupInput } from "../support/orderInputs.js";
import { orderByPoNumber, placeTopup } from "../support/orderOperations.js";

describe("where the simulator keeps its state", () => {
  const configFor = (env: Record<string, string>) => loadConfig(env as NodeJS.ProcessEnv);

  it("defaults to beside the SQLite ledger file in development, and to memory otherwise", () => {
    expect(simulatorStateFile(configFor({}))).toBe(join(process.cwd(), "data", "orders.simulator.json"));
    expect(simulatorStateFile(configFor({ DATABASE_URL: "sqlite:/srv/ledger/main.db" }))).toBe(
      "/srv/ledger/main.simulator.json",
    );
    expect(simulatorStateFile(configFor({ DATABASE_URL: "sqlite::memory:" }))).toBeUndefined();
    expect(simulatorStateFile(configFor({ DATABASE_URL: "postgres://u@127.0.0.1:5432/db" }))).toBeUndefined();
    expect(simulatorStateFile(configFor({ NODE_ENV: "test" }))).toBeUndefined();
  });

  it("follows SIMULATOR_STATE_FILE, and `off` keeps it in memory", () => {
    expect(simulatorStateFile(configFor({ SIMULATOR_STATE_FILE: "/tmp/sim.json", NODE_ENV: "test" }))).toBe(
      "/tmp/sim.json",
    );
    expect(simulatorStateFile(configFor({ SIMULATOR_STATE_FILE: "off" }))).toBeUndefined();
  });
});

describe("a restarted service with its simulator", () => {
  const dir = mkdtempSync(join(tmpdir(), "orders-sim-state-"));
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it("still delivers a pending order placed before the restart, and the ledger learns it by webhook", async () => {
    const env = {
      DATABASE_URL: `sqlite:${join(dir, "orders.sqlite")}`,
      SIMULATOR_STATE_FILE: join(dir, "orders.simulator.json"),
    };
    app = await startTestApp(env);
    const input = topupInput(); // Airtel: delayed, pending until delivered
    const { payload } = await placeTopup(app.url, input);
    expect(payload.outcome).toBe("PLACED");
    expect(payload.order?.deliveryStatus).toBe("pending");
    const orderId = payload.order?.orderId ?? "";
    await app.close();
    expect(existsSync(env.SIMULATOR_STATE_FILE)).toBe(true);

    app = await startTestApp(env);
    expect(app.sim.findOrder({ orderId: Number(orderId) })?.deliveryStatus).toBe("pending");
    // The README's walk-through: deliver it through the simulator's admin endpoint.
    const delivered = await request(`${app.sim.baseUrl}/__simulator/orders/${orderId}/deliver`, {
      method: "POST",
      body: '{"status":"delivered"}',
    });
    expect(delivered.statusCode).toBe(200);
    await delivered.body.dump();
    await expect
      .poll(async () => (await orderByPoNumber(app?.url ?? "", input.poNumber))?.deliveryStatus)
      .toBe("delivered");

    // Ids keep increasing past the restored ones, so the ledger never sees one twice.
    const next = await placeTopup(app.url, topupInput());
    expect(Number(next.payload.order?.orderId)).toBeGreaterThan(Number(orderId));
    rmSync(dir, { recursive: true, force: true });
  });
});
