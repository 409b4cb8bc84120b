// Schema governance. schema/orders.graphql is the subgraph contract that Rover composes and reviewers read; the code
// is where it comes from. This test fails when the two drift apart, when the contract from the issue loses a piece,
// and when any part of the API lacks a description (Sandbox and the supergraph show them to client developers).
import { readFileSync } from "node:fs";
import { buildSubgraphSchema } from "@apollo/subgraph";
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isSpecifiedScalarType,
  parse,
  type GraphQLSchema,
} from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { buildOrdersSchema, printOrdersSubgraphSdl } from "../../src/graph/schema.js";

const SDL_PATH = new URL("../../schema/orders.graphql", import.meta.url);
const committedSdl = readFileSync(SDL_PATH, "utf8");

/** The error codes the contract names; more may be added, none may go. */
const REQUIRED_ERROR_CODES = [
  "INVALID_INPUT",
  "INVALID_DENOMINATION",
  "PRODUCT_UNAVAILABLE",
  "OUT_OF_STOCK",
  "QUANTITY_LIMIT",
  "INSUFFICIENT_BALANCE",
  "OPERATOR_VALIDATION_FAILED",
  "PO_NUMBER_CONFLICT",
  "RATE_LIMITED",
  "UPSTREAM_UNAVAILABLE",
  "OUTCOME_UNKNOWN",
  "UPSTREAM_REJECTED",
  "ORDER_IN_PROGRESS",
];

/** What buildSubgraphSchema adds, and the @link machinery: not ours to describe. */
const FEDERATION_TYPES = new Set(["_Service", "_Entity", "_Any"]);
const FEDERATION_QUERY_FIELDS = new Set(["_entities", "_service"]);
const isFederationTypeName = (name: string) =>
  FEDERATION_TYPES.has(name) || name.startsWith("link__") || name.startsWith("federation__") || name.startsWith("__");

/**
 * Arguments without a description, known and accepted for now (the argument names say it all, and the fields
 * describe them). Listed so a new undescribed argument fails; remove an entry when its @Arg gets a description.
 */
const UNDESCRIBED_ARGUMENTS_ACCEPTED = new Set([
  "Query.order(orderId:)",
  "Query.orderByPoNumber(poNumber:)",
  "Mutation.placeAirmilesOrder(input:)",
  "Mutation.placeTopupOrder(input:)",
]);

const hasText = (description: string | null | undefined) =>
  typeof description === "string" && description.trim() !== "";

interface MissingDescriptions {
  elements: string[];
  arguments: string[];
}

/** Every type, field, argument, input field and enum value of ours without a description. */
function missingDescriptions(schema: GraphQLSchema): MissingDescriptions {
  const missing: MissingDescriptions = { elements: [], arguments: [] };
  const ownTypes = Object.values(schema.getTypeMap()).filter(
    (type) => !isFederationTypeName(type.name) && !isSpecifiedScalarType(type),
  );
  const rootTypes = new Set([schema.getQueryType()?.name, schema.getMutationType()?.name]);
  for (const type of ownTypes) {
    // Root operation types are described by their fields.
    if (!rootTypes.has(type.name) && !hasText(type.description)) missing.elements.push(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (type === schema.getQueryType() && FEDERATION_QUERY_FIELDS.has(field.name)) continue;
        if (!hasText(field.description)) missing.elements.push(`${type.name}.${field.name}`);
        for (const arg of field.args) {
          if (!hasText(arg.description)) missing.arguments.push(`${type.name}.${field.name}(${arg.name}:)`);
        }
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!hasText(field.description)) missing.elements.push(`${type.name}.${field.name}`);
      }
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) {
        if (!hasText(value.description)) missing.elements.push(`${type.name}.${value.name}`);
      }
    }
  }
  return missing;
}

describe("schema/orders.graphql", () => {
  it("matches the SDL built from the code (run `npm run schema:write` after a schema change, and commit the result)", async () => {
    const fromCode = await printOrdersSubgraphSdl();
    if (fromCode !== committedSdl) {
      // A readable failure: the first differing line, not two walls of SDL.
      const committedLines = committedSdl.split("\n");
      const codeLines = fromCode.split("\n");
      const index = codeLines.findIndex((line, i) => line !== committedLines[i]);
      const at = index === -1 ? Math.min(codeLines.length, committedLines.length) : index;
      expect.fail(
        `schema/orders.graphql is out of date with the code: run \`npm run schema:write\` and commit it.\n` +
          `First difference at line ${at + 1}:\n  committed: ${JSON.stringify(committedLines[at])}\n  from code: ${JSON.stringify(codeLines[at])}`,
      );
    }
  });

  it("is a Federation 2 subgraph SDL: @link to the federation spec and Order keyed by orderId", () => {
    const document = parse(committedSdl);
    const link = document.definitions
      .find((d) => d.kind === "SchemaExtension")
      ?.directives?.find((d) => d.name.value === "link");
    expect(link, "the SDL must keep `extend schema @link(...)`: print it with printSubgraphSchema").toBeDefined();
    expect(committedSdl).toMatch(/@link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+"/);
    expect(committedSdl).toMatch(/type Order\s+@key\(fields: "orderId"\)/);
    // And it is a valid subgraph schema on its own (what Rover composes).
    expect(() => buildSubgraphSchema({ typeDefs: document })).not.toThrow();
  });

  it("holds the contract from the issue", () => {
    const contractLines = [
      "placeAirmilesOrder(input: PlaceAirmilesOrderInput!): PlaceOrderPayload!",
      "placeTopupOrder(input: PlaceTopupOrderInput!): PlaceOrderPayload!",
      "order(orderId: ID!): Order",
      "orderByPoNumber(poNumber: String!): Order",
      "placedAt: DateTimeISO",
      "scalar DateTimeISO",
    ];
    for (const line of contractLines) expect(committedSdl, `missing: ${line}`).toContain(line);

    const schema = buildSubgraphSchema({ typeDefs: parse(committedSdl) });
    for (const inputName of ["PlaceAirmilesOrderInput", "PlaceTopupOrderInput"]) {
      const input = schema.getType(inputName);
      if (!isInputObjectType(input)) throw new Error(`${inputName} is not an input type`);
      const fields = input.getFields();
      expect(String(fields["quantity"]?.type), `${inputName}.quantity`).toBe("Int!");
      expect(fields["quantity"]?.defaultValue, `${inputName}.quantity default`).toBe(1);
      const flags = Object.values(fields).filter((f) => /^(notify|perform)/.test(f.name));
      expect(flags.map((f) => f.name)).toEqual(
        expect.arrayContaining([
          "notifyReceiverEmail",
          "notifyAdminEmail",
          ...(inputName === "PlaceTopupOrderInput" ? ["performOperatorValidation"] : []),
        ]),
      );
      for (const flag of flags) {
        expect(`${String(flag.type)} = ${String(flag.defaultValue)}`, `${inputName}.${flag.name}`).toBe(
          "Boolean! = false",
        );
      }
    }
    expect(committedSdl).toContain("quantity: Int! = 1");
    expect(committedSdl).toContain("notifyReceiverEmail: Boolean! = false");

    const codes = schema.getType("OrderErrorCode");
    if (!isEnumType(codes)) throw new Error("OrderErrorCode is not an enum");
    expect(codes.getValues().map((v) => v.name)).toEqual(expect.arrayContaining(REQUIRED_ERROR_CODES));
  });
});

describe("descriptions", () => {
  let missing: MissingDescriptions;
  beforeAll(async () => {
    // The schema the service serves (federation additions included, and skipped by the walk).
    missing = missingDescriptions(await buildOrdersSchema());
  });

  it("describes every type, field, input field and enum value", () => {
    expect(
      missing.elements,
      "add a `description` to these (type-graphql decorators or registerEnumType valuesConfig)",
    ).toEqual([]);
  });

  it("describes every argument, apart from the accepted list", () => {
    const unexpected = missing.arguments.filter((a) => !UNDESCRIBED_ARGUMENTS_ACCEPTED.has(a));
    expect(unexpected, "add a `description` to these @Arg()s").toEqual([]);
    const stale = [...UNDESCRIBED_ARGUMENTS_ACCEPTED].filter((a) => !missing.arguments.includes(a));
    expect(stale, "these arguments are described now: remove them from UNDESCRIBED_ARGUMENTS_ACCEPTED").toEqual([]);
  });

  it("the walk sees the schema (guards against a vacuous pass)", async () => {
    const schema = await buildOrdersSchema();
    expect(schema.getType("Order")).toBeDefined();
    expect(missingDescriptions(schema).elements).toEqual([]);
    // A type stripped of its description is caught.
    const stripped = buildSubgraphSchema({
      typeDefs: parse(committedSdl.replace(/"""\s*What was ordered\.\s*"""\s*/, "")),
    });
    expect(missingDescriptions(stripped).elements).toContain("OrderKind");
  });
});
