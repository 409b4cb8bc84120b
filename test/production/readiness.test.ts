// GET /ready tells the orchestrator whether this replica can take orders: it turns 503 when PostgreSQL goes
// away (and back to 200 when it returns), and while the service is shutting down. /health stays 200 throughout:
// a live process with a dead database must not be restarted in a loop.
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/harness.js";
import { airmilesInput } from "../support/orderInputs.js";
import { sendAirmiles } from "../support/orderOperations.js";
import { startPrivatePostgres, type PrivatePostgres } from "../support/privatePostgres.js";
import { openRawConnection, type RawConnection } from "../support/rawHttp.js";

interface Readiness {
  status: string;
  checks: { database: string; credentials: string; shuttingDown: boolean };
}

async function probe(t: TestApp, path: "/ready" | "/health"): Promise<{ status: number; body: Readiness }> {
  const response = await request(`${new URL(t.url).origin}${path}`);
  return { status: response.statusCode, body: (await response.body.json()) as Readiness };
}

describe("/ready and the database", () => {
  let pg: PrivatePostgres;
  let t: TestApp;

  beforeAll(async () => {
    pg = await startPrivatePostgres();
    t = await startTestApp({ DATABASE_URL: pg.url });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await pg?.destroy();
  });

  it("is ready with a reachable database", async () => {
    const ready = await probe(t, "/ready");
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({
      status: "ready",
      checks: { database: "ok", credentials: "valid", shuttingDown: false },
    });
    expect((await sendAirmiles(t.url, airmilesInput())).data?.placeAirmilesOrder.outcome).toBe("PLACED");
  });

  it("turns unready (503) when PostgreSQL stops, while /health stays 200", async () => {
    await pg.stop();
    const ready = await probe(t, "/ready");
    expect(ready.status).toBe(503);
    expect(ready.body.status).toBe("unready");
    expect(ready.body.checks.database).toBe("unreachable");
    expect((await probe(t, "/health")).status).toBe(200);
  });

  it("is ready again once PostgreSQL is back, and takes orders", async () => {
    await pg.start();
    await expect.poll(async () => (await probe(t, "/ready")).status, { timeout: 10_000, interval: 200 }).toBe(200);
    expect((await sendAirmiles(t.url, airmilesInput())).data?.placeAirmilesOrder.outcome).toBe("PLACED");
  });
});

describe("/ready while shutting down", () => {
  it("answers 503 to a probe that arrives during the drain, and the in-flight order still completes", async () => {
    const t = await startTestApp();
    let probeConnection: RawConnection | undefined;
    try {
      t.sim.inject({ kind: "latency", ms: 1_500 });
      const order = sendAirmiles(t.url, airmilesInput());
      await expect.poll(() => t.sim.count("placeOrder"), { timeout: 5_000, interval: 20 }).toBe(1);

      // A probe connection that has started its request is not idle, so the draining server keeps it; the
      // request is completed once the shutdown has begun.
      probeConnection = await openRawConnection(new URL(t.url).origin);
      probeConnection.begin("GET", "/ready");
      await new Promise((resolve) => setTimeout(resolve, 200)); // let the server parse the request line
      const closing = t.close();
      const probed = await probeConnection.finish();

      expect(probed.status).toBe(503);
      expect((JSON.parse(probed.body) as Readiness).checks.shuttingDown).toBe(true);
      expect((await order).data?.placeAirmilesOrder.outcome).toBe("PLACED");
      await closing;
    } finally {
      probeConnection?.destroy();
      await t.close();
    }
  });
});
