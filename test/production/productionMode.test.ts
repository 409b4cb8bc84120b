// The service as it runs in production (NODE_ENV=production, child process, PostgreSQL ledger, external Plum):
// it starts with a complete configuration, hides its schema (no introspection, no landing page, no "did you
// mean" hints), masks internal errors behind a request id, and still places orders.
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPlumSimulator, type PlumSimulator } from "../../src/simulator/index.js";
import { externalPlumEnv } from "../support/externalPlum.js";
import { gql } from "../support/graphqlClient.js";
import { bearer, JWT_ENV, tokenFor } from "../support/jwtTokens.js";
import { airmilesInput } from "../support/orderInputs.js";
import { sendAirmiles } from "../support/orderOperations.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres.js";
import { startService, type ServiceProcess } from "../support/serviceProcess.js";

const ROUTER_SECRET = "production-router-secret-4b1d";

let sim: PlumSimulator;
let db: TestDatabase;
let service: ServiceProcess;
let url: string;
let headers: Record<string, string>;

beforeAll(async () => {
  sim = await createPlumSimulator();
  db = await createTestDatabase();
  service = startService({
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: "0",
    LOG_LEVEL: "info",
    DATABASE_URL: db.url,
    ROUTER_SECRET,
    XOXODAY_WEBHOOK_KEY: "ProdWebhookKey0123456789",
    ...externalPlumEnv(sim),
    ...JWT_ENV,
  });
  url = await service.listening();
  headers = {
    "router-authorization": ROUTER_SECRET,
    ...bearer(await tokenFor("prod-user", "orders:write orders:read")),
  };
}, 30_000);

afterAll(async () => {
  await service?.kill();
  await sim?.close();
  await db?.drop();
});

describe("production mode", () => {
  it("starts with the complete configuration and places an order", async () => {
    const res = await sendAirmiles(url, airmilesInput(), headers);
    expect(res.data?.placeAirmilesOrder.outcome).toBe("PLACED");
    // Production logs are JSON lines on stdout, with no development warnings about missing safeguards.
    expect(service.stdout()).not.toMatch(/JWT verification is OFF|No ROUTER_SECRET|BUILT-IN PLUM SIMULATOR/);
  });

  it("refuses introspection", async () => {
    for (const query of ["{ __schema { queryType { name } } }", '{ __type(name: "Order") { fields { name } } }']) {
      const res = await gql(url, query, undefined, headers);
      expect(res.data ?? null, query).toBeNull();
      expect(res.errors?.[0]?.message, query).toMatch(/introspection/i);
    }
  });

  it("serves no landing page", async () => {
    const response = await request(url, { headers: { accept: "text/html", "router-authorization": ROUTER_SECRET } });
    const text = await response.body.text();
    expect(String(response.headers["content-type"] ?? "")).not.toContain("text/html");
    expect(text).not.toMatch(/<html|<!DOCTYPE|apollo-server-landing-page|embeddable-sandbox/i);
  });

  it("gives no schema hints in validation errors, and tags every error with the request id", async () => {
    const res = await gql(url, '{ orderByPoNumbr(poNumber: "x") { orderId } }', undefined, headers);
    expect(res.errors?.length).toBeGreaterThan(0);
    expect(res.errors?.[0]?.message).not.toMatch(/did you mean/i);
    expect(res.errors?.[0]?.message).not.toContain("orderByPoNumber");
    expect(res.errors?.[0]?.extensions?.["requestId"]).toBe(res.headers["x-request-id"]);
    expect(res.errors?.[0]?.extensions?.["stacktrace"]).toBeUndefined();
  });

  it("masks an internal error behind a request id that the logs carry", async () => {
    // A real internal failure: the ledger's database disappears under the running service.
    await db.drop();
    const requestId = "prod-internal-error-check-1";
    const res = await gql(url, '{ order(orderId: "424242") { orderId } }', undefined, {
      ...headers,
      "x-request-id": requestId,
    });
    const error = res.errors?.[0];
    expect(error?.message).toBe("Internal server error");
    expect(error?.extensions).toEqual({ code: "INTERNAL_SERVER_ERROR", requestId });
    expect(JSON.stringify(res)).not.toMatch(/orders_test_|database|postgres|at .*\.ts/i);
    // The operator can find the real cause by the request id.
    await expect
      .poll(() =>
        service
          .stdout()
          .split("\n")
          .some((l) => l.includes(requestId) && l.includes('"level":"error"')),
      )
      .toBe(true);
  });
});
