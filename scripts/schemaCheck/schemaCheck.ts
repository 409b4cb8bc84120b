// Schema checks without GraphOS: the committed subgraph SDL against a baseline, classified by @graphql-inspector/core
// (breaking, dangerous, safe). Breaking changes fail unless schema/breaking-changes.yaml acknowledges them (a file
// reviewers read in the pull request, like any code).
import { buildSubgraphSchema } from "@apollo/subgraph";
import { CriticalityLevel, diff, type Change } from "@graphql-inspector/core";
import { parse } from "graphql";
import { parse as parseYaml } from "yaml";
import { z } from "zod";

const acknowledgementsSchema = z
  .object({
    acknowledged: z
      .array(
        z
          .object({
            type: z.string().min(1),
            path: z.string().min(1),
            reason: z.string().min(10, "say why clients are not broken, or who agreed"),
          })
          .strict(),
      )
      .nullable()
      .default([]),
  })
  .strict();

export type Acknowledgement = NonNullable<z.infer<typeof acknowledgementsSchema>["acknowledged"]>[number];

export function parseAcknowledgements(yamlText: string): Acknowledgement[] {
  return acknowledgementsSchema.parse(parseYaml(yamlText) ?? {}).acknowledged ?? [];
}

export interface SchemaCheckResult {
  breaking: Change[];
  acknowledged: { change: Change; reason: string }[];
  dangerous: Change[];
  safe: Change[];
  /** Acknowledgements that match no change (already released, or a typo): to be removed. */
  unused: Acknowledgement[];
  ok: boolean;
}

/**
 * Federation's own machinery, which buildSubgraphSchema adds from the @link (directive definitions such as
 * @requiresScopes or federation__authenticated, link__Import, _Service, _entities): not this subgraph's API, and it
 * changes whenever the @link imports another directive. The subgraph defines no directives of its own, so every
 * directive *definition* is machinery; directive *usages* on our fields (a new @requiresScopes) are kept.
 */
function isFederationMachinery(change: Change): boolean {
  const path = change.path ?? "";
  return (
    path.startsWith("@") ||
    path.startsWith(".@link") ||
    /^(link__|federation__|_Service|_Entity|_Any)/.test(path) ||
    /^Query\._(entities|service)\b/.test(path)
  );
}

/** Both SDLs are subgraph SDLs (@link, @key, …): built as subgraphs, so the federation definitions resolve alike. */
export async function checkSchema(
  baselineSdl: string,
  currentSdl: string,
  acknowledgements: Acknowledgement[],
): Promise<SchemaCheckResult> {
  const all = await diff(buildSubgraphSchema(parse(baselineSdl)), buildSubgraphSchema(parse(currentSdl)));
  const changes = all.filter((change) => !isFederationMachinery(change));
  const matching = (change: Change) => acknowledgements.find((a) => a.type === change.type && a.path === change.path);
  const result: SchemaCheckResult = { breaking: [], acknowledged: [], dangerous: [], safe: [], unused: [], ok: true };
  for (const change of changes) {
    if (change.criticality.level === CriticalityLevel.Breaking) {
      const acknowledgement = matching(change);
      if (acknowledgement === undefined) result.breaking.push(change);
      else result.acknowledged.push({ change, reason: acknowledgement.reason });
    } else if (change.criticality.level === CriticalityLevel.Dangerous) {
      result.dangerous.push(change);
    } else {
      result.safe.push(change);
    }
  }
  result.unused = acknowledgements.filter(
    (a) => !changes.some((change) => change.type === a.type && change.path === a.path),
  );
  result.ok = result.breaking.length === 0;
  return result;
}

const line = (change: Change) =>
  `  - ${change.message}  [${change.type} ${change.path ?? ""}]${change.criticality.reason ? `\n      ${change.criticality.reason}` : ""}`;

export function formatResult(result: SchemaCheckResult, baseline: string): string {
  const out: string[] = [`schema check: schema/orders.graphql against ${baseline}`];
  const section = (title: string, items: string[]) => {
    if (items.length > 0) out.push(`${title} (${items.length}):`, ...items);
  };
  section("BREAKING, not acknowledged", result.breaking.map(line));
  section(
    "breaking, acknowledged in schema/breaking-changes.yaml",
    result.acknowledged.map(({ change, reason }) => `${line(change)}\n      acknowledged: ${reason}`),
  );
  section("dangerous", result.dangerous.map(line));
  section("safe", result.safe.map(line));
  section(
    "acknowledgements that match no change (remove them from schema/breaking-changes.yaml)",
    result.unused.map((a) => `  - ${a.type} ${a.path}`),
  );
  if (result.breaking.length + result.acknowledged.length + result.dangerous.length + result.safe.length === 0)
    out.push("no changes");
  out.push(
    result.ok
      ? "schema check passed"
      : "schema check FAILED: breaking changes break clients. Make the change additive, or acknowledge each one in schema/breaking-changes.yaml (type, path, reason) for review.",
  );
  return out.join("\n");
}
