// npm run schema:check's rules, on small edits of the committed SDL: a removed field fails unless acknowledged, a
// new enum value is dangerous, a new field is safe, federation's own machinery is not reported, and the baseline
// falls back to the released file in a clone without a main branch.
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kind, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { RELEASED_BASELINE_PATH, resolveBaseline } from "../../scripts/schemaCheck/baseline.js";
import { checkSchema, formatResult, parseAcknowledgements } from "../../scripts/schemaCheck/schemaCheck.js";

const sdl = readFileSync(new URL("../../schema/orders.graphql", import.meta.url), "utf8");
const withoutTag = sdl.replace(/\n\s*"""The free-text tag sent with the order\."""\n\s*tag: String\n/, "\n");

describe("schema:check", () => {
  it("passes an unchanged schema with no changes", async () => {
    const result = await checkSchema(sdl, sdl, []);
    expect(result.ok).toBe(true);
    expect([...result.breaking, ...result.dangerous, ...result.safe]).toEqual([]);
  });

  it("fails on a removed field, and names it", async () => {
    expect(withoutTag).not.toBe(sdl);
    const result = await checkSchema(sdl, withoutTag, []);
    expect(result.ok).toBe(false);
    expect(result.breaking.map((c) => [c.type, c.path])).toEqual([["FIELD_REMOVED", "Order.tag"]]);
    expect(formatResult(result, "main")).toMatch(/BREAKING, not acknowledged \(1\):[\s\S]*Order\.tag[\s\S]*FAILED/);
  });

  it("passes a breaking change acknowledged in the reviewed file, and reports acknowledgements that match nothing", async () => {
    const acknowledgements = parseAcknowledgements(`
acknowledged:
  - type: FIELD_REMOVED
    path: Order.tag
    reason: no client selects tag (router field usage, 30 days)
  - type: FIELD_REMOVED
    path: Order.nothing
    reason: a stale entry left from an earlier release
`);
    const result = await checkSchema(sdl, withoutTag, acknowledgements);
    expect(result.ok).toBe(true);
    expect(result.acknowledged.map(({ change }) => change.path)).toEqual(["Order.tag"]);
    expect(result.unused.map((a) => a.path)).toEqual(["Order.nothing"]);
  });

  it("refuses an acknowledgement without a reason", () => {
    expect(() =>
      parseAcknowledgements("acknowledged:\n  - type: FIELD_REMOVED\n    path: Order.tag\n    reason: ''\n"),
    ).toThrow(/say why/);
  });

  it("prints dangerous and safe changes without failing", async () => {
    const changed = sdl
      .replace(/enum OrderKind \{/, 'enum OrderKind {\n  """A gift card."""\n  GIFT_CARD\n')
      .replace(/(type Order\s+@key\(fields: "orderId"\)\s*\{)/, '$1\n  """New."""\n  note: String\n');
    const result = await checkSchema(sdl, changed, []);
    expect(result.ok).toBe(true);
    expect(result.dangerous.map((c) => c.type)).toContain("ENUM_VALUE_ADDED");
    expect(result.safe.map((c) => c.path)).toContain("Order.note");
  });

  it("does not report federation's machinery when the @link imports change", async () => {
    const plainLink = sdl
      .replace('import: ["@key", "@authenticated", "@requiresScopes"]', 'import: ["@key"]')
      .replace(/ @requiresScopes\(scopes: \[\["orders:\w+"\]\]\)/g, "");
    const result = await checkSchema(plainLink, sdl, []);
    expect(result.ok).toBe(true);
    // What is left is ours: the scope requirement of every root field that declares one (read off the SDL).
    const scoped = parse(sdl).definitions.flatMap((definition) =>
      (definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.OBJECT_TYPE_EXTENSION) &&
      ["Query", "Mutation"].includes(definition.name.value)
        ? (definition.fields ?? [])
            .filter((field) => field.directives?.some((directive) => directive.name.value === "requiresScopes"))
            .map((field) => `${definition.name.value}.${field.name.value}.@requiresScopes`)
        : [],
    );
    expect(scoped).toContain("Mutation.placeAirmilesOrder.@requiresScopes");
    expect(result.dangerous.map((c) => c.path).sort()).toEqual(scoped.sort());
  });

  it("uses the released baseline file in a clone without a main branch", () => {
    const root = mkdtempSync(join(tmpdir(), "schema-check-"));
    mkdirSync(join(root, "schema"));
    writeFileSync(join(root, RELEASED_BASELINE_PATH), sdl);
    const baseline = resolveBaseline(root, undefined);
    expect(baseline.source).toContain(RELEASED_BASELINE_PATH);
    expect(baseline.sdl).toBe(sdl);
    expect(() => resolveBaseline(root, "no-such-ref")).toThrow(/no-such-ref/);
  });
});
