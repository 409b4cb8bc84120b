// The import directions of README's "Layout" hold in src/, and each rule of .dependency-cruiser.cjs reports a
// fixture that breaks it (so an empty answer on src/ means something).
import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { cruiseWithRules, layerGraph } from "../../scripts/cruise.js";

const FIXTURE = fileURLToPath(new URL("fixture/", import.meta.url));

describe("layer rules", () => {
  it("src/ breaks none", async () => {
    const result = await cruiseWithRules(["src"]);
    expect(result.summary.violations).toEqual([]);
    expect(result.summary.totalCruised).toBeGreaterThan(200);
    const graph = layerGraph(result);
    expect([...(graph.get("orders") ?? [])]).not.toContain("storage");
    expect([...(graph.get("http") ?? [])]).toEqual([]);
  });

  it("reports each broken rule in the fixture", async () => {
    const result = await cruiseWithRules(["src"], FIXTURE);
    const found = result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
    expect(found).toEqual(
      [
        "domain-not-to-storage-or-server: src/orders/reader.ts → src/storage/ledger.ts",
        "no-circular: src/server/a.ts → src/server/b.ts",
        "orders-not-to-graph: src/orders/reader.ts → src/graph/view.ts",
        "plum-not-to-orders-or-graph: src/plum/client.ts → src/orders/reader.ts",
      ].sort(),
    );
  });
});
