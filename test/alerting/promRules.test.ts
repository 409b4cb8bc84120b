// The alert rules are code: `promtool check rules` lints them and `promtool test rules` runs their unit tests
// (synthetic series; each alert fires when it should and stays quiet when it should). promtool comes from Debian's
// `prometheus` package; .ci/run installs it when missing.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { parse } from "yaml";

const run = promisify(execFile);
const RULES = "deploy/prometheus/orders-alerts.yml";
const TESTS = "deploy/prometheus/orders-alerts.test.yml";

interface RuleFile {
  groups: { rules: { alert: string; labels?: Record<string, string>; annotations?: Record<string, string> }[] }[];
}
interface TestFile {
  tests: { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[];
}

const alerts = (parse(readFileSync(RULES, "utf8")) as RuleFile).groups.flatMap((g) => g.rules);

describe("Prometheus alert rules", () => {
  it("pass promtool check rules", async () => {
    const { stdout } = await run("promtool", ["check", "rules", RULES]);
    expect(stdout).toContain(`SUCCESS: ${alerts.length} rules found`);
  });

  it("pass their promtool unit tests", async () => {
    const { stdout, stderr } = await run("promtool", ["test", "rules", TESTS]).catch(
      (error: { stdout: string; stderr: string }) => error,
    );
    expect(`${stdout}${stderr}`).toContain("SUCCESS");
  });

  it("each have a severity, a summary and a runbook_url anchor", () => {
    for (const rule of alerts) {
      expect(["critical", "warning"], rule.alert).toContain(rule.labels?.["severity"]);
      expect(rule.annotations?.["summary"], rule.alert).toBeTruthy();
      expect(rule.annotations?.["runbook_url"], rule.alert).toMatch(/^docs\/runbook\.md#[a-z0-9-]+$/);
    }
  });

  it("each have a unit test where they fire and one where they stay quiet", () => {
    const cases = (parse(readFileSync(TESTS, "utf8")) as TestFile).tests.flatMap((t) => t.alert_rule_test);
    for (const rule of alerts) {
      const mine = cases.filter((c) => c.alertname === rule.alert);
      expect(
        mine.some((c) => c.exp_alerts.length > 0),
        `${rule.alert} fires`,
      ).toBe(true);
      expect(
        mine.some((c) => c.exp_alerts.length === 0),
        `${rule.alert} stays quiet`,
      ).toBe(true);
    }
  });

  it("link runbook sections that exist", () => {
    const runbook = readFileSync("docs/runbook.md", "utf8");
    // GitHub's anchors: the heading text lower-cased, spaces to hyphens, punctuation dropped.
    const anchors = new Set(
      [...runbook.matchAll(/^#{2,4} (.+)$/gm)].map((m) =>
        (m[1] ?? "")
          .toLowerCase()
          .replace(/[^a-z0-9 -]/g, "")
          .replace(/ /g, "-"),
      ),
    );
    for (const rule of alerts) {
      const anchor = rule.annotations?.["runbook_url"]?.split("#")[1] ?? "";
      expect(anchors.has(anchor), `${rule.alert}: docs/runbook.md#${anchor}`).toBe(true);
    }
  });
});
