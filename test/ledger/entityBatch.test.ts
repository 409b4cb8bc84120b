// The router resolves Order references in batches (`_entities`): N representations cost one ledger query, not N,
// and Plum is not asked about orders the ledger already knows.
import { describe, expect, it } from "vitest";
import type { Ledger } from "../../src/storage/ledger.js";
import { OrderStatusEntitiesDocument, type OrderStatusFieldsFragment } from "../__generated__/graphql.js";
import { gql } from "../support/graphqlClient.js";
import { useTestApp } from "../support/harness.js";
import { airmilesInput, newPoNumber } from "../support/orderInputs.js";
import { placeAirmilesStatus } from "../support/orderStatusOperations.js";

describe("_entities batches", () => {
  const t = useTestApp();

  it("loads N orders with one ledger query", async () => {
    const orders: OrderStatusFieldsFragment[] = [];
    for (let i = 0; i < 5; i++) {
      const placed = await placeAirmilesStatus(t.url, airmilesInput({ poNumber: newPoNumber("ENT") }));
      orders.push(placed.order as OrderStatusFieldsFragment);
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
      const representations = [...orders, orders[0] as OrderStatusFieldsFragment].map((o) => ({
        __typename: "Order",
        orderId: o.orderId,
      }));
      const response = await gql(t.url, OrderStatusEntitiesDocument, { representations });
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
