// Only the router may call /graphql: with ROUTER_SECRET set, a request without the right Router-Authorization
// header is refused with 401 before any GraphQL work (no parsing, no context, no Plum call). Probes and the
// scraper stay reachable without it.
import { request } from "undici";
import { beforeAll, describe, expect, it } from "vitest";
import { gql } from "../support/graphqlClient.js";
import { useTestApp } from "../support/harness.js";
import { airmilesInput } from "../support/orderInputs.js";
import { sendAirmiles } from "../support/orderOperations.js";

const SECRET = "router-secret-for-tests-3f9c2a";

const t = useTestApp({ env: { ROUTER_SECRET: SECRET } });
let origin: string;

beforeAll(() => {
  origin = new URL(t.url).origin;
});

async function post(body: string, headers: Record<string, string> = {}) {
  const response = await request(t.url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
  return {
    status: response.statusCode,
    json: (await response.body.json()) as { errors?: { extensions?: { code?: string } }[] },
  };
}

describe("Router-Authorization", () => {
  it("refuses a mutation without the header, and nothing reaches Plum", async () => {
    const before = t.sim.count("placeOrder");
    const res = await sendAirmiles(t.url, airmilesInput());
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.["code"]).toBe("UNAUTHENTICATED");
    expect(res.data).toBeUndefined();
    expect(t.sim.count("placeOrder")).toBe(before);
  });

  it("checks the header before parsing: a malformed body still gets 401, not 400", async () => {
    const res = await post("{ this is not json");
    expect(res.status).toBe(401);
    const graphqlInvalid = await post(JSON.stringify({ query: "mutation { nope(" }));
    expect(graphqlInvalid.status).toBe(401);
  });

  it("refuses a wrong secret, including one that differs only in length or case", async () => {
    for (const wrong of ["nope", `${SECRET}x`, SECRET.toUpperCase(), ""]) {
      const res = await sendAirmiles(t.url, airmilesInput(), { "router-authorization": wrong });
      expect(res.status, `secret variant ${JSON.stringify(wrong)}`).toBe(401);
    }
  });

  it("serves a request with the right secret", async () => {
    const res = await sendAirmiles(t.url, airmilesInput(), { "router-authorization": SECRET });
    expect(res.status).toBe(200);
    expect(res.data?.placeAirmilesOrder.outcome).toBe("PLACED");
    const query = await gql(t.url, "{ __typename }", undefined, { "router-authorization": SECRET });
    expect(query.status).toBe(200);
  });

  it("also guards GET /graphql", async () => {
    const response = await request(`${t.url}?query=${encodeURIComponent("{ __typename }")}`, {
      headers: { "apollo-require-preflight": "1" },
    });
    await response.body.dump();
    expect(response.statusCode).toBe(401);
  });

  it("leaves /health, /ready and /metrics open to probes and scrapers", async () => {
    for (const path of ["/health", "/ready", "/metrics"]) {
      const response = await request(`${origin}${path}`);
      await response.body.dump();
      expect(response.statusCode, path).toBe(200);
    }
  });
});
