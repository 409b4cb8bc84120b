// End to end through an independent router: Hive Gateway (its npm runtime) in front of the real orders app (router
// secret and JWT verification on) and the test loyalty subgraph, over real HTTP, with a supergraph composed by
// @theguild/federation-composition from the committed SDL, auth directives included. The gateway inserts the
// router secret and propagates the user's JWT; an order is placed, then read across the loyalty subgraph (the
// orders subgraph's _entities); a token without the scope is refused by the gateway (from the supergraph's
// @requiresScopes) and, behind a gateway that does not enforce, by the subgraph itself.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gql, type GraphQLResponse } from "../support/graphqlClient.js";
import { startTestApp, type TestApp } from "../support/harness.js";
import { bearer, JWT_AUDIENCE, JWT_ENV, JWT_ISSUER, JWT_SECRET, tokenFor } from "../support/jwtTokens.js";
import { airmilesInput } from "../support/orderInputs.js";
import { startHiveGateway, type RunningHiveGateway } from "./hiveGatewayServer.js";
import {
  LOYALTY_SDL,
  LOYALTY_SUBGRAPH_NAME,
  loyaltyPointsFor,
  startLoyaltySubgraph,
  type LoyaltySubgraph,
} from "./loyaltySubgraph.js";
import { readRoverConfig, roverSubgraphs, type SubgraphSource } from "./supergraph.js";

const ROUTER_SECRET = "hive-gateway-test-router-secret";
const ORDER_FIELDS = "orderId poNumber kind amountCharged loyaltyPoints";

interface OrderWithPoints {
  orderId: string;
  poNumber: string | null;
  kind: string | null;
  amountCharged: number | null;
  loyaltyPoints: number;
}

const PLACE = `mutation Place($input: PlaceAirmilesOrderInput!) {
  placeAirmilesOrder(input: $input) { outcome errors { code } order { ${ORDER_FIELDS} } }
}`;
const FEATURED = `query Featured($orderId: ID!) { featuredOrder(orderId: $orderId) { ${ORDER_FIELDS} } }`;

type PlaceResult = GraphQLResponse<{
  placeAirmilesOrder: { outcome: string; errors: { code: string }[]; order: OrderWithPoints | null };
}>;

describe("through Hive Gateway (orders + loyalty, router secret and JWT scopes)", () => {
  let orders: TestApp;
  let loyalty: LoyaltySubgraph;
  let enforcing: RunningHiveGateway;
  let passThrough: RunningHiveGateway;

  beforeAll(async () => {
    [orders, loyalty] = await Promise.all([startTestApp({ ...JWT_ENV, ROUTER_SECRET }), startLoyaltySubgraph()]);
    const subgraphs: SubgraphSource[] = [
      ...roverSubgraphs(readRoverConfig()).map((s) => (s.name === "orders" ? { ...s, url: orders.url } : s)),
      { name: LOYALTY_SUBGRAPH_NAME, url: loyalty.url, sdl: LOYALTY_SDL },
    ];
    [enforcing, passThrough] = await Promise.all([
      startHiveGateway({
        subgraphs,
        routerSecret: ROUTER_SECRET,
        enforceAuthDirectives: { secret: JWT_SECRET, issuer: JWT_ISSUER, audience: JWT_AUDIENCE },
      }),
      startHiveGateway({ subgraphs, routerSecret: ROUTER_SECRET }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([enforcing?.close(), passThrough?.close()]);
    await Promise.all([orders?.close(), loyalty?.close()]);
  });

  it("carries the router-level auth metadata into the supergraph", () => {
    expect(enforcing.supergraphSdl).toContain("https://specs.apollo.dev/requiresScopes/v0.1");
    expect(enforcing.supergraphSdl).toMatch(
      /placeAirmilesOrder\([^\n]*@requiresScopes\(scopes: \[\["orders:write"\]\]\)/,
    );
  });

  it("places an order with the router secret inserted and the user's JWT propagated, then reads it across the loyalty subgraph", async () => {
    const headers = bearer(await tokenFor("member-hive-1", "orders:write orders:read"));
    const input = airmilesInput();
    const sentBefore = orders.sim.count("placeOrder");
    const placed: PlaceResult = await gql(enforcing.url, PLACE, { input }, headers);

    expect(placed.errors).toBeUndefined();
    expect(placed.data?.placeAirmilesOrder.outcome).toBe("PLACED");
    // Exactly one paid order reached Plum through the gateway.
    expect(orders.sim.count("placeOrder")).toBe(sentBefore + 1);
    const order = placed.data?.placeAirmilesOrder.order;
    if (!order) throw new Error("no order");
    expect(order.poNumber).toBe(input.poNumber);
    expect(order.loyaltyPoints).toBe(loyaltyPointsFor(order.orderId));
    // The subgraph recorded the JWT's subject: the token reached it through the gateway.
    expect((await orders.app.ledger.findByCallerPoNumber("member-hive-1", input.poNumber))?.subject).toBe(
      "member-hive-1",
    );

    // loyalty knows only the key; every other field comes from the orders subgraph's _entities, as that user.
    const featured = await gql<{ featuredOrder: OrderWithPoints | null }>(
      enforcing.url,
      FEATURED,
      { orderId: order.orderId },
      headers,
    );
    expect(featured.errors).toBeUndefined();
    expect(featured.data?.featuredOrder).toEqual(order);
    expect(loyalty.resolvedReferences).toContain(order.orderId);
  });

  it("refuses a token without orders:write at the gateway, from the supergraph's @requiresScopes: nothing reaches Plum", async () => {
    const headers = bearer(await tokenFor("member-hive-2", "orders:read"));
    const input = airmilesInput();
    const sentBefore = orders.sim.count("placeOrder");
    const placed: PlaceResult = await gql(enforcing.url, PLACE, { input }, headers);

    expect(placed.data?.placeAirmilesOrder ?? null).toBeNull();
    // The gateway's own refusal (the subgraph's would be FORBIDDEN): it read @requiresScopes from the supergraph.
    expect(placed.errors?.[0]?.extensions?.["code"]).toBe("UNAUTHORIZED_FIELD_OR_TYPE");
    expect(orders.sim.count("placeOrder")).toBe(sentBefore);
    expect(await orders.app.ledger.findByCallerPoNumber("member-hive-2", input.poNumber)).toBeNull();
  });

  it("behind a gateway that does not enforce, the subgraph refuses the missing scope itself (FORBIDDEN)", async () => {
    const headers = bearer(await tokenFor("member-hive-3", "orders:read"));
    const input = airmilesInput();
    const sentBefore = orders.sim.count("placeOrder");
    const placed: PlaceResult = await gql(passThrough.url, PLACE, { input }, headers);

    expect(placed.data?.placeAirmilesOrder ?? null).toBeNull();
    expect(placed.errors?.[0]?.extensions?.["code"]).toBe("FORBIDDEN");
    expect(orders.sim.count("placeOrder")).toBe(sentBefore);
    expect(await orders.app.ledger.findByCallerPoNumber("member-hive-3", input.poNumber)).toBeNull();
  });
});
