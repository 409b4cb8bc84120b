// rover.yaml composes: the committed orders SDL it names composes alone (what `rover supergraph compose --config
// rover.yaml` does) and together with another subgraph that contributes a field to Order, without errors and without
// composition hints nobody has looked at. Uses @apollo/composition, pinned to the version rover.yaml names.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { isObjectType, type GraphQLSchema } from "graphql";
import { describe, expect, it } from "vitest";
import { LOYALTY_SDL, LOYALTY_SUBGRAPH_NAME } from "./loyaltySubgraph.js";
import {
  composeSupergraph,
  readRoverConfig,
  roverSubgraphs,
  type CompositionHint,
  type SubgraphSource,
} from "./supergraph.js";

// Hint codes reviewed and accepted, each with the reason. Empty: any hint is a finding until someone decides.
const ACCEPTED_HINT_CODES: readonly string[] = [];

const loyalty: SubgraphSource = { name: LOYALTY_SUBGRAPH_NAME, url: "http://loyalty.test/graphql", sdl: LOYALTY_SDL };

function unacceptedHints(hints: CompositionHint[]): string[] {
  return hints
    .filter((hint) => !ACCEPTED_HINT_CODES.includes(hint.definition.code))
    .map((hint) => `[${hint.definition.code}] ${hint.message}`);
}

function fieldNames(schema: GraphQLSchema, typeName: string): string[] {
  const type = schema.getType(typeName);
  if (!isObjectType(type)) throw new Error(`${typeName} is not an object type in the API schema`);
  return Object.keys(type.getFields());
}

function installedCompositionVersion(): string {
  const packageJson = createRequire(import.meta.url).resolve("@apollo/composition/package.json");
  return (JSON.parse(readFileSync(packageJson, "utf8")) as { version: string }).version;
}

describe("rover.yaml", () => {
  const config = readRoverConfig();

  it("pins federation_version to the installed @apollo/composition, so Rover and the tests compose alike", () => {
    expect(config.federation_version, "update rover.yaml's federation_version when @apollo/composition changes").toBe(
      `=${installedCompositionVersion()}`,
    );
  });

  it("routes the orders subgraph to the service's default port and reads the committed SDL", () => {
    expect(config.subgraphs).toEqual({
      orders: { routing_url: "http://localhost:4001/graphql", schema: { file: "./schema/orders.graphql" } },
    });
    const [orders] = roverSubgraphs(config);
    expect(orders?.sdl).toContain('@key(fields: "orderId")');
    expect(orders?.sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.');
  });
});

describe("composition", () => {
  const subgraphs = roverSubgraphs(readRoverConfig());

  it("composes the orders subgraph alone without errors or unaccepted hints", () => {
    const composed = composeSupergraph(subgraphs);
    expect(unacceptedHints(composed.hints)).toEqual([]);
    expect(composed.supergraphSdl).toMatch(/join__graph\(name: "orders", url: "http:\/\/localhost:4001\/graphql"\)/);
    // Other issues add query fields too; each checks its own.
    expect(fieldNames(composed.apiSchema, "Query")).toEqual(expect.arrayContaining(["order", "orderByPoNumber"]));
    expect(fieldNames(composed.apiSchema, "Query")).toEqual(
      expect.arrayContaining([
        "airmilesProgrammes",
        "topupOperators",
        "product",
        "detectTopupOperator",
        "quoteAirmilesOrder",
        "quoteTopupOrder",
        "walletBalance",
      ]),
    );
    expect(fieldNames(composed.apiSchema, "Query")).toEqual(
      expect.arrayContaining(["orders", "placement", "reconciliationReport"]),
    );
    expect([...fieldNames(composed.apiSchema, "Mutation")].sort()).toEqual([
      "placeAirmilesOrder",
      "placeAirmilesOrders",
      "placeTopupOrder",
      "placeTopupOrders",
      "resolveOrderNeedingOperator",
      "runReconciliation",
    ]);
  });

  it("composes with a second subgraph that contributes a field to Order by its key", () => {
    const composed = composeSupergraph([...subgraphs, loyalty]);
    expect(unacceptedHints(composed.hints)).toEqual([]);
    const orderFields = fieldNames(composed.apiSchema, "Order");
    expect(orderFields).toEqual(
      expect.arrayContaining(["orderId", "poNumber", "amountCharged", "voucherDetails", "loyaltyPoints"]),
    );
    expect(fieldNames(composed.apiSchema, "Query")).toEqual(
      expect.arrayContaining(["order", "orderByPoNumber", "featuredOrder"]),
    );
    // Federation plumbing stays out of what clients see.
    expect(fieldNames(composed.apiSchema, "Query")).not.toContain("_entities");
    expect(composed.apiSchema.getType("_Any")).toBeUndefined();
  });

  it("fails loudly when a subgraph disagrees on the entity key (the check is not vacuous)", () => {
    const broken: SubgraphSource = { ...loyalty, sdl: LOYALTY_SDL.replace("orderId: ID!", "orderId: Int!") };
    expect(() => composeSupergraph([...subgraphs, broken])).toThrow(/composition failed:[\s\S]*Order\.orderId/);
  });
});
