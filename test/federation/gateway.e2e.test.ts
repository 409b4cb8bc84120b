// End to end through a supergraph: @apollo/gateway in front of the real orders app and the test loyalty subgraph,
// all over real HTTP. One operation spans both subgraphs in each direction, and the router secret is enforced.
//
// These operations are written against the *supergraph* (they select loyaltyPoints / featuredOrder), so they cannot
// live in test/operations/, which codegen validates against the orders subgraph alone; their result types are
// spelled out here, with the generated input and enum types.
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { parse } from "graphql";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  OrderByPoNumberDocument,
  type OrderErrorCode,
  type OrderKind,
  type PlaceAirmilesOrderMutationVariables,
  type PlaceOrderOutcome,
  type PlaceTopupOrderMutationVariables,
} from "../__generated__/graphql.js";
import { gql } from "../support/graphqlClient.js";
import { startTestApp, type TestApp } from "../support/harness.js";
import { airmilesInput, realtimeTopupInput } from "../support/orderInputs.js";
import { startGateway, type RunningGateway } from "./gatewayServer.js";
import {
  LOYALTY_SDL,
  LOYALTY_SUBGRAPH_NAME,
  loyaltyPointsFor,
  startLoyaltySubgraph,
  type LoyaltySubgraph,
} from "./loyaltySubgraph.js";
import { readRoverConfig, roverSubgraphs, withoutRouterAuthDirectives, type SubgraphSource } from "./supergraph.js";

interface OrderWithPoints {
  orderId: string;
  poNumber: string | null;
  kind: OrderKind | null;
  amountCharged: number | null;
  loyaltyPoints: number;
  voucherDetails: { productName: string | null }[];
}

interface PayloadWithPoints {
  outcome: PlaceOrderOutcome;
  errors: { code: OrderErrorCode; message: string }[];
  order: OrderWithPoints | null;
}

const ORDER_WITH_POINTS = "orderId poNumber kind amountCharged loyaltyPoints voucherDetails { productName }";

const PlaceAirmilesWithPoints: TypedDocumentNode<
  { placeAirmilesOrder: PayloadWithPoints },
  PlaceAirmilesOrderMutationVariables
> = parse(`
  mutation PlaceAirmilesWithPoints($input: PlaceAirmilesOrderInput!) {
    placeAirmilesOrder(input: $input) { outcome errors { code message } order { ${ORDER_WITH_POINTS} } }
  }
`);

const PlaceTopupWithPoints: TypedDocumentNode<
  { placeTopupOrder: PayloadWithPoints },
  PlaceTopupOrderMutationVariables
> = parse(`
  mutation PlaceTopupWithPoints($input: PlaceTopupOrderInput!) {
    placeTopupOrder(input: $input) { outcome errors { code message } order { ${ORDER_WITH_POINTS} } }
  }
`);

const FeaturedOrder: TypedDocumentNode<{ featuredOrder: OrderWithPoints | null }, { orderId: string }> = parse(`
  query FeaturedOrder($orderId: ID!) { featuredOrder(orderId: $orderId) { ${ORDER_WITH_POINTS} } }
`);

interface RecommendedProduct {
  productId: number;
  name: string;
  kind: OrderKind;
  denominations: number[];
  operator: { name: string } | null;
}

const RecommendedProducts: TypedDocumentNode<
  { recommendedProducts: RecommendedProduct[] },
  Record<string, never>
> = parse(`
  query RecommendedProducts { recommendedProducts { productId name kind denominations operator { name } } }
`);

const FeaturedProduct: TypedDocumentNode<
  { featuredProduct: { productId: number; name: string } | null },
  { productId: number }
> = parse(`
  query FeaturedProduct($productId: Int!) { featuredProduct(productId: $productId) { productId name } }
`);

/**
 * What rover.yaml composes (the committed orders SDL), routed to the test app, plus the loyalty subgraph; without the
 * router-level auth directives, which @apollo/gateway cannot load (see withoutRouterAuthDirectives).
 */
function subgraphsAt(ordersUrl: string, loyalty: LoyaltySubgraph): SubgraphSource[] {
  const fromRover = roverSubgraphs(readRoverConfig()).map((subgraph) =>
    subgraph.name === "orders"
      ? { ...subgraph, url: ordersUrl, sdl: withoutRouterAuthDirectives(subgraph.sdl) }
      : subgraph,
  );
  return [...fromRover, { name: LOYALTY_SUBGRAPH_NAME, url: loyalty.url, sdl: LOYALTY_SDL }];
}

function expectPlacedWithPoints(payload: PayloadWithPoints | undefined, kind: OrderKind): OrderWithPoints {
  expect(payload?.errors).toEqual([]);
  expect(payload?.outcome).toBe("PLACED");
  const order = payload?.order;
  if (!order) throw new Error("the placement returned no order");
  expect(order.kind).toBe(kind);
  expect(order.amountCharged).toBeGreaterThan(0);
  // Resolved by the loyalty subgraph from the key the orders subgraph returned, in the same operation.
  expect(order.loyaltyPoints).toBe(loyaltyPointsFor(order.orderId));
  return order;
}

describe("through @apollo/gateway (orders + loyalty)", () => {
  let orders: TestApp;
  let loyalty: LoyaltySubgraph;
  let gateway: RunningGateway;

  beforeAll(async () => {
    [orders, loyalty] = await Promise.all([startTestApp(), startLoyaltySubgraph()]);
    gateway = await startGateway({ subgraphs: subgraphsAt(orders.url, loyalty) });
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all([orders?.close(), loyalty?.close()]);
  });

  it("places an airmiles order and resolves loyaltyPoints from the other subgraph in the same operation", async () => {
    const input = airmilesInput();
    const response = await gql(gateway.url, PlaceAirmilesWithPoints, { input });

    expect(response.errors).toBeUndefined();
    const order = expectPlacedWithPoints(response.data?.placeAirmilesOrder, "AIRMILES");
    expect(order.poNumber).toBe(input.poNumber);
    expect(order.voucherDetails).toEqual([{ productName: "Emirates Skywards Miles" }]);
    // The planner fetched loyaltyPoints through the loyalty subgraph's _entities with the order's key.
    expect(loyalty.resolvedReferences).toContain(order.orderId);
  });

  it("resolves Order fields from the orders subgraph for an order the loyalty subgraph only knows by key", async () => {
    const placed = await gql(gateway.url, PlaceAirmilesWithPoints, { input: airmilesInput({ denomination: 120 }) });
    const order = expectPlacedWithPoints(placed.data?.placeAirmilesOrder, "AIRMILES");

    const response = await gql(gateway.url, FeaturedOrder, { orderId: order.orderId });

    expect(response.errors).toBeUndefined();
    // poNumber, amountCharged, kind and voucherDetails exist only in the orders subgraph: fetched via its _entities.
    expect(response.data?.featuredOrder).toEqual(order);
  });

  it("resolves Product entities the loyalty subgraph references, from the orders catalogue (one batch)", async () => {
    const findProducts = vi.spyOn(orders.app.ledger.catalogue, "findProducts");
    const response = await gql(gateway.url, RecommendedProducts, {});
    expect(response.errors).toBeUndefined();
    expect(response.data?.recommendedProducts).toEqual([
      { productId: 15366, name: "Etihad Guest Miles", kind: "AIRMILES", denominations: [25, 50, 100], operator: null },
      {
        productId: 20001,
        name: "Airtel Prepaid India",
        kind: "TOPUP",
        denominations: [100, 200, 500],
        operator: { name: "Airtel" },
      },
    ]);
    // Both representations in one _entities call, one snapshot query for the products (and one for the operator).
    expect(findProducts.mock.calls.map((call) => [...call[0]].sort())).toEqual([[15366, 20001], [20100]]);
    findProducts.mockRestore();
    const unknown = await gql(gateway.url, FeaturedProduct, { productId: 99_999 });
    expect(unknown.errors).toBeUndefined();
    expect(unknown.data).toEqual({ featuredProduct: null });
  });

  it("places a top-up through the gateway too", async () => {
    const input = realtimeTopupInput();
    const response = await gql(gateway.url, PlaceTopupWithPoints, { input });

    expect(response.errors).toBeUndefined();
    const order = expectPlacedWithPoints(response.data?.placeTopupOrder, "TOPUP");
    expect(order.poNumber).toBe(input.poNumber);
    expect(order.voucherDetails).toEqual([{ productName: "Jio Prepaid India" }]);
  });
});

describe("through @apollo/gateway with ROUTER_SECRET set on the orders subgraph", () => {
  const ROUTER_SECRET = "gateway-test-router-secret";
  let orders: TestApp;
  let loyalty: LoyaltySubgraph;
  let withSecret: RunningGateway;
  let withoutSecret: RunningGateway;

  beforeAll(async () => {
    [orders, loyalty] = await Promise.all([startTestApp({ ROUTER_SECRET }), startLoyaltySubgraph()]);
    const subgraphs = subgraphsAt(orders.url, loyalty);
    [withSecret, withoutSecret] = await Promise.all([
      // What a router header rule does: add Router-Authorization to every subgraph request.
      startGateway({ subgraphs, subgraphHeaders: { "Router-Authorization": ROUTER_SECRET } }),
      startGateway({ subgraphs }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([withSecret?.close(), withoutSecret?.close()]);
    await Promise.all([orders?.close(), loyalty?.close()]);
  });

  it("works when the gateway sends Router-Authorization", async () => {
    const response = await gql(withSecret.url, PlaceAirmilesWithPoints, { input: airmilesInput() });

    expect(response.errors).toBeUndefined();
    expectPlacedWithPoints(response.data?.placeAirmilesOrder, "AIRMILES");
  });

  it("is refused by the orders subgraph (401) when the gateway does not send it, and nothing is placed", async () => {
    const input = airmilesInput();
    const response = await gql(withoutSecret.url, PlaceAirmilesWithPoints, { input });

    expect(response.data?.placeAirmilesOrder ?? null).toBeNull();
    expect(response.errors?.[0]).toMatchObject({
      message: expect.stringContaining("401"),
      extensions: { code: "UNAUTHENTICATED" },
    });
    // Refused before any GraphQL work: the poNumber is unknown to the service.
    // (The orders subgraph's own operations are valid against the supergraph too.)
    const lookup = await gql(withSecret.url, OrderByPoNumberDocument, { poNumber: input.poNumber });
    expect(lookup.errors).toBeUndefined();
    expect(lookup.data).toEqual({ orderByPoNumber: null });
  });
});
