// Findings 3 (the `_entities` cap through a variable default), 8 (parser and representation inputs) and 9 (values
// quoted back, suggestions without introspection), each attack over real HTTP.
import { describe, expect, it } from "vitest";
import { gql } from "../support/graphqlClient.js";
import { useTestApp } from "../support/harness.js";

const codes = (res: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  res.errors?.map((e) => e.extensions?.["code"]);
const errorLines = (lines: readonly string[]) => lines.filter((l) => (JSON.parse(l) as { level: number }).level >= 50);

describe("finding 3: the representation cap counts coerced variables, defaults included", () => {
  // Body and token limits raised so that only the representation cap stands between the attack and 6,000 look-ups.
  const t = useTestApp({
    env: { MAX_ENTITY_REPRESENTATIONS: "100", MAX_BODY_BYTES: "1048576", MAX_QUERY_TOKENS: "100000" },
  });

  it("refuses 6,000 representations given as a variable default, before any look-up", async () => {
    const reps = Array.from({ length: 6_000 }, (_, i) => `{__typename: "Order", orderId: "${70_000_000 + i}"}`).join(
      ",",
    );
    const lookups = t.sim.count("getOrderDetails");
    const res = await gql(t.url, `query($r: [_Any!]! = [${reps}]) { _entities(representations: $r) { __typename } }`);
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.message).toMatch(/Too many entity representations: 6000/);
    expect(t.sim.count("getOrderDetails")).toBe(lookups);
  });
});

describe("finding 8: parser and representation inputs", () => {
  const t = useTestApp({ env: { MAX_QUERY_TOKENS: "5000" } });

  it("refuses 5,000 nested inline fragments by token count, never a stack overflow", async () => {
    const query = `{ ${"... on Query { ".repeat(5_000)}__typename${" }".repeat(5_000)} }`;
    const res = await gql(t.url, query);
    expect(res.status).toBe(400);
    expect(codes(res)).toEqual(["GRAPHQL_PARSE_FAILED"]);
    expect(res.errors?.[0]?.message).toMatch(/more tha[nt] 5000 tokens/);
    expect(JSON.stringify(res)).not.toMatch(/call stack/i);
    expect(errorLines(t.logs.lines).join("\n")).not.toMatch(/call stack/i);
  });

  it("answers the deepest nesting the token cap lets through, never with a 500", async () => {
    const query = `{ ${"... on Query { ".repeat(990)}__typename${" }".repeat(990)} }`;
    const res = await gql(t.url, query);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ __typename: "Query" });
    expect(JSON.stringify(res)).not.toMatch(/call stack|Internal server error/i);
  });

  it("resolves a representation whose key is not a scalar to null, without an error or an error log", async () => {
    const before = errorLines(t.logs.lines).length;
    // An inline literal object has no prototype (String() of it throws); so does a JSON one whose toString is a number.
    const inline = await gql(
      t.url,
      `{ _entities(representations: [{__typename: "Order", orderId: {a: 1}}]) { ... on Order { orderId } } }`,
    );
    expect(inline.errors).toBeUndefined();
    expect(inline.data).toEqual({ _entities: [null] });
    for (const orderId of [{ a: 1 }, { toString: 1 }, [1, 2], null, true]) {
      const res = await gql(
        t.url,
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { orderId } } }`,
        {
          r: [{ __typename: "Order", orderId }],
        },
      );
      expect(res.status, JSON.stringify(orderId)).toBe(200);
      expect(res.errors, JSON.stringify(orderId)).toBeUndefined();
      expect(res.data).toEqual({ _entities: [null] });
    }
    expect(errorLines(t.logs.lines).length).toBe(before);
  });
});

describe("finding 9: values never quoted back", () => {
  const t = useTestApp({ env: { ENABLE_INTROSPECTION: "false" } });

  it("rewrites syntax errors without the offending token's value", async () => {
    const attempts = [
      `{ orderByPoNumber(poNumber: "someone@example.com" "+14705550123") { orderId } }`,
      `{ orderByPoNumber(poNumber: someone@example.com) { orderId } }`,
      `{ orderByPoNumber(poNumber: """loyalty-EK-998877""" """x""") { orderId } }`,
      `{ "someone@example.com" }`,
    ];
    for (const query of attempts) {
      const res = await gql(t.url, query);
      expect(codes(res), query).toEqual(["GRAPHQL_PARSE_FAILED"]);
      expect(res.errors?.[0]?.message, query).toMatch(/^Syntax Error: /);
      for (const secret of ["someone", "example.com", "4705550123", "998877"])
        expect(JSON.stringify(res), query).not.toContain(secret);
    }
  });

  it("answers no 'Did you mean' suggestions when introspection is off (outside production too)", async () => {
    const res = await gql(t.url, `{ orderByPoNumbr(poNumber: "PO-1") { orderId } }`);
    expect(codes(res)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    expect(JSON.stringify(res)).not.toMatch(/Did you mean/);
    expect(JSON.stringify(res)).not.toContain("orderByPoNumber");
  });
});
