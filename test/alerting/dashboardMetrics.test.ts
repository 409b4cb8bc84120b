// Every expression of the Grafana dashboard and of the alert rules names metrics the service really exports: the
// names are checked against a scrape of /metrics of a running test app (its `# TYPE` lines: every registered
// metric, with or without samples yet), and each dashboard expression must parse (promtool checks them as rules).
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { request } from "undici";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { useTestApp } from "../support/harness.js";

/** Series Prometheus itself writes for every scrape target. */
const PROVIDED_BY_PROMETHEUS = ["up"];

const PROMQL_WORDS = new Set([
  "sum",
  "min",
  "max",
  "avg",
  "count",
  "stddev",
  "stdvar",
  "topk",
  "bottomk",
  "quantile",
  "count_values",
  "group",
  "by",
  "without",
  "on",
  "ignoring",
  "group_left",
  "group_right",
  "and",
  "or",
  "unless",
  "bool",
  "offset",
  "rate",
  "irate",
  "increase",
  "delta",
  "idelta",
  "deriv",
  "histogram_quantile",
  "vector",
  "scalar",
  "abs",
  "absent",
  "time",
  "clamp_min",
  "clamp_max",
  "round",
  "label_replace",
  "sort",
  "sort_desc",
  "humanizeDuration",
  "inf",
  "nan",
]);

/** The metric names a PromQL expression uses: label matchers, grouping clauses, strings and durations removed. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, "")
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ");
  const names = [...bare.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)].map((m) => m[0]);
  return [...new Set(names.filter((n) => !PROMQL_WORDS.has(n)))];
}

interface Panel {
  title?: string;
  targets?: { expr?: string }[];
  panels?: Panel[];
}

const dashboard = JSON.parse(readFileSync("deploy/grafana/orders-dashboard.json", "utf8")) as {
  uid: string;
  panels: Panel[];
};
const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
const dashboardExprs = panels.flatMap((p) =>
  (p.targets ?? []).map((t) => ({ where: p.title ?? "?", expr: t.expr ?? "" })),
);
const rules = (
  parse(readFileSync("deploy/prometheus/orders-alerts.yml", "utf8")) as {
    groups: { rules: { alert: string; expr: string }[] }[];
  }
).groups
  .flatMap((g) => g.rules)
  .map((r) => ({ where: r.alert, expr: r.expr }));

const t = useTestApp();

async function exportedNames(): Promise<Set<string>> {
  const response = await request(`${new URL(t.url).origin}/metrics`);
  const text = await response.body.text();
  const names = new Set<string>();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    if (name === undefined) continue;
    names.add(name);
    if (type === "histogram") for (const suffix of ["_bucket", "_count", "_sum"]) names.add(`${name}${suffix}`);
    if (type === "summary") for (const suffix of ["_count", "_sum"]) names.add(`${name}${suffix}`);
  }
  return names;
}

describe("the Grafana dashboard and the alert rules", () => {
  it("has the panels an operator needs", () => {
    const titles = panels.map((p) => p.title ?? "");
    for (const wanted of [
      "Placements by outcome",
      "Plum call latency (p50, p95, p99) by operation",
      "Pending orders by age",
      "Placement queue and rate budget",
      "Plum token expiry",
      "Webhook flow",
      "Reconciliation discrepancies",
    ]) {
      expect(titles).toContain(wanted);
    }
    expect(dashboardExprs.length).toBeGreaterThan(20);
  });

  it("extracts metric names from PromQL (the checker itself)", () => {
    expect(
      metricNames('sum by (le, operation) (rate(orders_plum_request_duration_seconds_bucket{outcome=~"a|b"}[5m]))'),
    ).toEqual(["orders_plum_request_duration_seconds_bucket"]);
    expect(metricNames("max(a_total) / on () max(b_seconds) > 3 * 3600")).toEqual(["a_total", "b_seconds"]);
  });

  it("uses only metrics the running service exports (or Prometheus itself)", async () => {
    const exported = await exportedNames();
    expect(exported.has("orders_placements_total")).toBe(true);
    const allowed = new Set(PROVIDED_BY_PROMETHEUS);
    const missing = [...dashboardExprs, ...rules].flatMap(({ where, expr }) =>
      metricNames(expr)
        .filter((name) => !exported.has(name) && !allowed.has(name))
        .map((name) => `${where}: ${name}`),
    );
    expect(missing).toEqual([]);
    for (const name of ["orders_plum_budget_used", "orders_plum_budget_limit", "orders_plum_penalties_total"])
      expect(exported.has(name)).toBe(true);
  });

  it("has expressions that parse (promtool checks them as recording rules)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dashboard-exprs-"));
    const file = join(dir, "dashboard.rules.yml");
    const recorded = dashboardExprs.map(({ expr }, i) => ({ record: `dashboard:expr_${i}`, expr }));
    writeFileSync(file, stringify({ groups: [{ name: "dashboard", rules: recorded }] }));
    const { stdout } = await promisify(execFile)("promtool", ["check", "rules", file]);
    expect(stdout).toContain(`SUCCESS: ${recorded.length} rules found`);
  });
});
