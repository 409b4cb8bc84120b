// The README's examples cannot rot: every GraphQL operation and every `curl` command in it runs here, in README
// order, against the service on its built-in simulator (the README's ports replaced by the test's). A `<name>`
// placeholder takes the value of the field `name` in the latest earlier answer that has one (the webhook
// walk-through's `<orderId>`). An example fails on a GraphQL error, a non-empty `errors` list anywhere in the answer
// (payload errors included, unless the block's `# expects "text"` line names what the answer shows instead), an HTTP status of 400 or more, a placeholder nothing answered, or an answer without
// the text a trailing `# "text"` comment names.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { readmeExamples, type ReadmeExample } from "../../src/server/explorer/readmeExamples.js";
import { gql } from "../support/graphqlClient.js";
import { useTestApp } from "../support/harness.js";

const run = promisify(execFile);
const README = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const examples = readmeExamples(README);
const STATUS_MARK = "\n__readme_test_status__:";

/** Every value of `key` anywhere in `value`, depth first. */
function valuesOf(value: unknown, key: string): unknown[] {
  if (Array.isArray(value)) return value.flatMap((item) => valuesOf(item, key));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([name, item]) => [
    ...(name === key && typeof item !== "object" ? [item] : []),
    ...valuesOf(item, key),
  ]);
}

function nonEmptyErrorLists(value: unknown): unknown[] {
  return valuesOfObjects(value, "errors").filter((errors) => !Array.isArray(errors) || errors.length > 0);
}

function valuesOfObjects(value: unknown, key: string): unknown[] {
  if (Array.isArray(value)) return value.flatMap((item) => valuesOfObjects(item, key));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([name, item]) => [
    ...(name === key ? [item] : []),
    ...valuesOfObjects(item, key),
  ]);
}

function describeExample(example: ReadmeExample): string {
  const text = example.kind === "graphql" ? example.query : example.command;
  return `README line ${example.line}: ${text.replace(/\s+/g, " ").slice(0, 70)}`;
}

describe("the README's examples", () => {
  const app = useTestApp();
  const answers: unknown[] = [];

  const fill = (text: string): string =>
    text.replace(/<([A-Za-z]\w*)>/g, (_placeholder, name: string) => {
      for (const answer of [...answers].reverse()) {
        const [value] = valuesOf(answer, name);
        if (value !== undefined) return String(value);
      }
      throw new Error(`no earlier answer has a "${name}" for the placeholder <${name}>`);
    });

  it("are found (the extraction is not vacuous)", () => {
    const kinds = examples.map((example) => example.kind);
    expect(kinds.filter((kind) => kind === "graphql").length).toBeGreaterThanOrEqual(3);
    expect(kinds.filter((kind) => kind === "curl").length).toBeGreaterThanOrEqual(6);
    expect(examples.some((example) => example.kind === "curl" && example.command.includes("<orderId>"))).toBe(true);
    expect(
      examples.filter((example) => example.kind === "curl" && example.expects !== undefined).length,
    ).toBeGreaterThanOrEqual(2);
  });

  for (const example of examples) {
    it(describeExample(example), async () => {
      const service = new URL(app.url);
      const simulator = new URL(app.sim.baseUrl);
      if (example.kind === "graphql") {
        const response = await gql(app.url, fill(example.query));
        expect(response.status).toBe(200);
        expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
        if (example.expects === undefined)
          expect(nonEmptyErrorLists(response.data), JSON.stringify(response.data)).toEqual([]);
        else expect(JSON.stringify(response.data)).toContain(example.expects);
        answers.push(response.data);
        return;
      }
      const command = fill(example.command)
        .replaceAll("localhost:4001", service.host)
        .replaceAll("localhost:4010", simulator.host);
      expect(command, "every curl example talks to the service or its simulator").toMatch(
        new RegExp(`${service.host}|${simulator.host}`),
      );
      // The README's own command, run by bash as a reader would, plus a status line for the test.
      const { stdout } = await run("bash", ["-c", `${command} -w '${STATUS_MARK}%{http_code}'`], { timeout: 15_000 });
      const at = stdout.lastIndexOf(STATUS_MARK);
      const body = stdout.slice(0, at);
      const status = Number(stdout.slice(at + STATUS_MARK.length));
      expect(status, body).toBeLessThan(400);
      expect(status, body).toBeGreaterThanOrEqual(200);
      const answer: unknown = body.trim() === "" ? null : JSON.parse(body);
      expect(nonEmptyErrorLists(answer), body).toEqual([]);
      if (example.expects !== undefined) expect(body).toContain(example.expects);
      answers.push(answer);
    });
  }
});
