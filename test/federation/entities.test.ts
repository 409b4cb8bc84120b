// `_entities` over HTTP against the real app: the path the router takes to fetch Order fields for other subgraphs.
// Proves the reference resolver is wired (docs/federation-notes.md pitfall 3): known keys resolve, unknown keys are null,
// and a batch resolves every representation in order.
import { describe, expect, it } from "vitest";
import {
  EntitiesDocument,
  OrderByIdDocument,
  OrderByPoNumberDocument,
  PlaceTopupOrderDocument,
  type OrderFieldsFragment,
  type PlaceAirmilesOrderInput,
} from "../__generated__/graphql.js";
import { gql } from "../support/graphqlClient.js";
import { useTestApp } from "../support/harness.js";
import { airmilesInput, realtimeTopupInput } from "../support/orderInputs.js";
import { placeAirmiles } from "../support/orderOperations.js";

const UNKNOWN_ORDER_ID = "999999999";

const t = useTestApp();

async function placedAirmiles(input: PlaceAirmilesOrderInput = airmilesInput()): Promise<OrderFieldsFragment> {
  const { payload } = await placeAirmiles(t.url, input);
  expect(payload.errors).toEqual([]);
  expect(payload.outcome).toBe("PLACED");
  if (!payload.order) throw new Error("the placement returned no order");
  return payload.order;
}

const representation = (orderId: string) => ({ __typename: "Order", orderId });

describe("_entities(representations:) for Order", () => {
  it("resolves a placed order by its key and returns null for an unknown one", async () => {
    const placed = await placedAirmiles();

    const response = await gql(t.url, EntitiesDocument, {
      representations: [representation(placed.orderId), representation(UNKNOWN_ORDER_ID)],
    });

    expect(response.errors).toBeUndefined();
    const [found, unknown] = response.data?._entities ?? [];
    expect(response.data?._entities).toHaveLength(2);
    expect(found).toMatchObject({
      __typename: "Order",
      orderId: placed.orderId,
      poNumber: placed.poNumber,
      amountCharged: placed.amountCharged,
      kind: "AIRMILES",
      voucherDetails: [expect.objectContaining({ productName: "Emirates Skywards Miles" })],
    });
    expect(placed.amountCharged).toBeGreaterThan(0);
    expect(unknown).toBeNull();
  });

  it("resolves a batch of 10 representations of the same and different orders, in order", async () => {
    const orders = await Promise.all([
      placedAirmiles(),
      placedAirmiles(airmilesInput({ denomination: 75 })),
      placedAirmiles(),
    ]);
    const ids = Array.from({ length: 10 }, (_, i) => orders[i % orders.length]?.orderId ?? "");

    const response = await gql(t.url, EntitiesDocument, { representations: ids.map(representation) });

    expect(response.errors).toBeUndefined();
    const entities = response.data?._entities ?? [];
    expect(entities).toHaveLength(10);
    entities.forEach((entity, i) => {
      const expected = orders[i % orders.length];
      expect(entity, `representation ${i}`).toMatchObject({ orderId: expected?.orderId, poNumber: expected?.poNumber });
    });
    const second = entities[1];
    expect(second?.__typename === "Order" ? second.amountCharged : undefined).toBe(orders[1]?.amountCharged);
  });

  it("resolves a top-up order to the same Order that order(orderId:) and orderByPoNumber(poNumber:) return", async () => {
    const placed = await gql(t.url, PlaceTopupOrderDocument, { input: realtimeTopupInput() });
    expect(placed.data?.placeTopupOrder.outcome).toBe("PLACED");
    const order = placed.data?.placeTopupOrder.order;
    if (!order?.poNumber) throw new Error("the top-up returned no order");

    const [entities, byId, byPoNumber] = await Promise.all([
      gql(t.url, EntitiesDocument, { representations: [representation(order.orderId)] }),
      gql(t.url, OrderByIdDocument, { orderId: order.orderId }),
      gql(t.url, OrderByPoNumberDocument, { poNumber: order.poNumber }),
    ]);

    expect(entities.errors ?? byId.errors ?? byPoNumber.errors).toBeUndefined();
    expect(byId.data?.order).toMatchObject({ orderId: order.orderId, kind: "TOPUP" });
    // One Order, whichever way it is reached (the router's way included).
    expect(entities.data?._entities).toEqual([{ __typename: "Order", ...byId.data?.order }]);
    expect(byPoNumber.data?.orderByPoNumber).toEqual(byId.data?.order);
  });
});
