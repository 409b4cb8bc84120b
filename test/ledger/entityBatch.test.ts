// The router resolves Order references in batches (`_entities`): N representations cost one ledger query, not N,
// and Plum is not asked about orders the ledger already knows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ledger } from "../../src/storage/ledger.js";
import { gql } from "../support/graphqlClient.js";
import { startTestApp, type TestApp } from "../support/harness.js";
import { airmilesInput, newPoNumber, placeAirmiles, type OrderFields } from "./helpers.js";

const ENTITIES = /* GraphQL */ `
  query Entities($representations: [_Any!]!) {
    _entities(representations: $representations) { ... on Order { orderId poNumber deliveryStatus } }
  }
`;

describe("_entities batches", () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it("loads N orders with one ledger query", async () => {
    const orders: OrderFields[] = [];
    for (let i = 0; i < 5; i++) {
      const placed = await placeAirmiles(t.url, airmilesInput(newPoNumber("ENT")));
      orders.push(placed.order as OrderFields);
    }
    // Count queries on the very ledger instance the app's reader uses.
    const ledger: Ledger = t.app.ledger;
    const original = ledger.findByOrderIds.bind(ledger);
    const batches: (readonly string[])[] = [];
    ledger.findByOrderIds = (ids) => {
      batches.push(ids);
      return original(ids);
    };
    const lookups = t.sim.count("getOrderDetails");
    try {
      // Repeats are common in router batches; they cost nothing extra.
      const representations = [...orders, orders[0] as OrderFields].map((o) => ({ __typename: "Order", orderId: o.orderId }));
      const response = await gql<{ _entities: (OrderFields | null)[] }>(t.url, ENTITIES, { representations });
      expect(response.errors).toBeUndefined();
      expect(response.data?._entities).toEqual([...orders, orders[0]]);
    } finally {
      ledger.findByOrderIds = original;
    }
    expect(batches).toHaveLength(1);
    expect([...(batches[0] ?? [])].sort()).toEqual(orders.map((o) => o.orderId).sort());
    expect(t.sim.count("getOrderDetails")).toBe(lookups);
  });
});
