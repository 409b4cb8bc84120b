// Request limits: body size, operation depth, complexity and entity batch size are refused before any resolver
// (or Plum call) runs, with a clear message.
import { Readable } from "node:stream";
import { request } from "undici";
import { describe, expect, it } from "vitest";
import { PlaceAirmilesOrderStatusDocument } from "../__generated__/graphql.js";
import { gql } from "../support/graphqlClient.js";
import { useTestApp } from "../support/harness.js";
import { airmilesInput } from "../support/orderInputs.js";

const MAX_BODY_BYTES = 2_048;

const t = useTestApp({
  env: {
    MAX_BODY_BYTES: String(MAX_BODY_BYTES),
    MAX_QUERY_DEPTH: "2",
    MAX_QUERY_COMPLEXITY: "20",
    MAX_ENTITY_REPRESENTATIONS: "3",
  },
});

const codes = (res: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  res.errors?.map((e) => e.extensions?.["code"]);
const reps = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ __typename: "Order", orderId: String(90_000_000 + i) }));

describe("body size", () => {
  it("refuses a body over MAX_BODY_BYTES with 413 (declared length)", async () => {
    const before = t.sim.count("placeOrder");
    const input = airmilesInput({ tag: "x".repeat(100) });
    const body = JSON.stringify({
      query: `mutation($input: PlaceAirmilesOrderInput!) { placeAirmilesOrder(input: $input) { outcome } }`,
      variables: { input },
      padding: "p".repeat(MAX_BODY_BYTES),
    });
    const response = await request(t.url, { method: "POST", headers: { "content-type": "application/json" }, body });
    const json = (await response.body.json()) as { errors: { extensions: { code: string } }[] };
    expect(response.statusCode).toBe(413);
    expect(json.errors[0]?.extensions.code).toBe("PAYLOAD_TOO_LARGE");
    expect(t.sim.count("placeOrder")).toBe(before);
  });

  it("refuses a chunked body (no Content-Length) once it grows past the limit", async () => {
    async function* chunks() {
      yield Buffer.from('{"query":"{ __typename }","padding":"');
      for (let i = 0; i < 8; i += 1) yield Buffer.from("q".repeat(512));
      yield Buffer.from('"}');
    }
    const response = await request(t.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: Readable.from(chunks()),
    });
    await response.body.dump();
    expect(response.statusCode).toBe(413);
  });

  it("accepts a body under the limit", async () => {
    const res = await gql(t.url, "{ __typename }");
    expect(res.status).toBe(200);
  });
});

describe("depth", () => {
  it("refuses an operation deeper than MAX_QUERY_DEPTH", async () => {
    const before = t.sim.count("placeOrder");
    const deep = `mutation($input: PlaceAirmilesOrderInput!) { placeAirmilesOrder(input: $input) { order { voucherDetails { productName } } } }`;
    const res = await gql(t.url, deep, { input: airmilesInput() });
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.message).toMatch(/exceeds maximum operation depth of 2/);
    expect(t.sim.count("placeOrder")).toBe(before);
  });

  it("counts depth through fragments", async () => {
    const res = await gql(
      t.url,
      `query { ...Q } fragment Q on Query { order(orderId: "1") { voucherDetails { ...V } } } fragment V on VoucherDetail { productName }`,
    );
    expect(res.errors ?? []).toHaveLength(0); // depth 2: allowed
    const deeper = await gql(
      t.url,
      `mutation($input: PlaceAirmilesOrderInput!) { ...M } fragment M on Mutation { placeAirmilesOrder(input: $input) { order { ...O } } } fragment O on Order { voucherDetails { productName } }`,
      { input: airmilesInput() },
    );
    expect(deeper.errors?.[0]?.message).toMatch(/exceeds maximum operation depth/);
  });

  it("answers malformed fragment use with a validation error (400), not a crash", async () => {
    const unknown = await gql(t.url, `query { ...Missing }`);
    expect(unknown.status).toBe(400);
    expect(codes(unknown)).toContain("GRAPHQL_VALIDATION_FAILED");
    const cycle = await gql(t.url, `query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }`);
    expect(cycle.status).toBe(400);
    expect(codes(cycle)).toContain("GRAPHQL_VALIDATION_FAILED");
    // The service is still fine afterwards.
    expect((await gql(t.url, "{ __typename }")).status).toBe(200);
  });
});

describe("complexity", () => {
  it("refuses an operation more complex than MAX_QUERY_COMPLEXITY", async () => {
    const fields = Array.from({ length: 11 }, (_, i) => `o${i}: order(orderId: "${i}") { orderId }`).join(" ");
    const res = await gql(t.url, `{ ${fields} }`);
    expect(res.status).toBe(400);
    expect(codes(res)).toEqual(["QUERY_TOO_COMPLEX"]);
    expect(res.errors?.[0]?.message).toMatch(/too complex: \d+ \(at most 20\)/);
  });

  it("leaves variables that do not fit to execution: a 400 BAD_USER_INPUT naming the field, not a 500", async () => {
    const before = t.sim.count("placeOrder");
    const res = await gql(
      t.url,
      `mutation($input: PlaceAirmilesOrderInput!) { placeAirmilesOrder(input: $input) { outcome } }`,
      {
        input: { ...airmilesInput(), denomination: "fifty" },
      },
    );
    expect(res.status).toBe(400);
    expect(codes(res)).toEqual(["BAD_USER_INPUT"]);
    expect(res.errors?.[0]?.message).toMatch(/input\.denomination/);
    expect(t.sim.count("placeOrder")).toBe(before);
  });

  it("allows a simple operation", async () => {
    // The narrow selection (test/operations/orderStatus.graphql) stays within this file's depth and complexity.
    const res = await gql(t.url, PlaceAirmilesOrderStatusDocument, { input: airmilesInput() });
    expect(res.data?.placeAirmilesOrder.outcome).toBe("PLACED");
  });
});

describe("entity batches", () => {
  const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { orderId } } }`;

  it("refuses more than MAX_ENTITY_REPRESENTATIONS representations, with a clear message", async () => {
    const before = t.sim.count("getOrderDetails");
    const res = await gql(t.url, ENTITIES, { r: reps(4) });
    expect(res.status).toBe(400);
    expect(codes(res)).toEqual(["BAD_USER_INPUT"]);
    expect(res.errors?.[0]?.message).toBe("Too many entity representations: 4 (at most 3 per request).");
    expect(t.sim.count("getOrderDetails")).toBe(before);
  });

  it("refuses inline representations over the cap too", async () => {
    const inline = reps(4)
      .map((r) => `{ __typename: "Order", orderId: "${r.orderId}" }`)
      .join(", ");
    const res = await gql(t.url, `{ _entities(representations: [${inline}]) { ... on Order { orderId } } }`);
    expect(codes(res)).toEqual(["BAD_USER_INPUT"]);
  });

  it("cannot be sidestepped with fragments or aliases: the cap is per request", async () => {
    const before = t.sim.count("getOrderDetails");
    const viaInline = await gql(
      t.url,
      `query($r: [_Any!]!) { ... on Query { _entities(representations: $r) { __typename } } }`,
      { r: reps(4) },
    );
    expect(codes(viaInline)).toEqual(["BAD_USER_INPUT"]);
    const viaSpread = await gql(
      t.url,
      `query($r: [_Any!]!) { ...E } fragment E on Query { _entities(representations: $r) { __typename } }`,
      { r: reps(4) },
    );
    expect(codes(viaSpread)).toEqual(["BAD_USER_INPUT"]);
    const viaAliases = await gql(
      t.url,
      `query($a: [_Any!]!, $b: [_Any!]!) { a: _entities(representations: $a) { __typename } b: _entities(representations: $b) { __typename } }`,
      { a: reps(3), b: reps(3) },
    );
    expect(codes(viaAliases)).toEqual(["BAD_USER_INPUT"]);
    expect(viaAliases.errors?.[0]?.message).toMatch(/Too many entity representations: 6/);
    expect(t.sim.count("getOrderDetails")).toBe(before);
  });

  it("serves a batch at the cap", async () => {
    const res = await gql<{ _entities: unknown[] }>(t.url, ENTITIES, { r: reps(3) });
    expect(res.errors).toBeUndefined();
    expect(res.data?._entities).toEqual([null, null, null]);
  });
});
