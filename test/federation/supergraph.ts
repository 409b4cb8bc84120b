// Composition helpers for the federation tests: read rover.yaml (the supergraph config Rover uses) and compose
// subgraphs in-process with @apollo/composition, the same composition code Rover's supergraph plugin runs.
import { readFileSync } from "node:fs";
import { composeServices, type CompositionSuccess } from "@apollo/composition";
import { Kind, parse, print, visit, type GraphQLSchema } from "graphql";
import { parse as parseYaml } from "yaml";
import { z } from "zod";

export const ROVER_CONFIG_URL = new URL("../../rover.yaml", import.meta.url);

// Only the keys this project uses, strictly: a typo (e.g. `routing-url`) fails here instead of in Rover.
const roverConfigSchema = z
  .object({
    federation_version: z
      .string()
      .regex(/^=2\.\d+\.\d+$/, "federation_version must pin an exact Federation 2 version, e.g. =2.14.4"),
    subgraphs: z.record(
      z.string(),
      z
        .object({
          routing_url: z.url(),
          schema: z.object({ file: z.string().min(1) }).strict(),
        })
        .strict(),
    ),
  })
  .strict();

// Not exported by @apollo/composition's entry point; its shape (definition.code, message) is what the tests read.
export type CompositionHint = CompositionSuccess["hints"][number];

export type RoverConfig = z.infer<typeof roverConfigSchema>;

export interface SubgraphSource {
  name: string;
  /** Where the gateway (or router) sends this subgraph's operations. */
  url: string;
  sdl: string;
}

export function readRoverConfig(configUrl: URL = ROVER_CONFIG_URL): RoverConfig {
  return roverConfigSchema.parse(parseYaml(readFileSync(configUrl, "utf8")));
}

/** The subgraphs rover.yaml names, with their SDL read from the files it points at (relative to the config file). */
export function roverSubgraphs(config: RoverConfig, configUrl: URL = ROVER_CONFIG_URL): SubgraphSource[] {
  return Object.entries(config.subgraphs).map(([name, subgraph]) => ({
    name,
    url: subgraph.routing_url,
    sdl: readFileSync(new URL(subgraph.schema.file, configUrl), "utf8"),
  }));
}

export interface ComposedSupergraph {
  supergraphSdl: string;
  /** What clients of the router see (join/link machinery removed). */
  apiSchema: GraphQLSchema;
  hints: CompositionHint[];
}

/** Composes, or throws with every composition error (code and message) so a failing test says what broke. */
export function composeSupergraph(subgraphs: SubgraphSource[]): ComposedSupergraph {
  const result = composeServices(subgraphs.map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) })));
  if (result.errors !== undefined) {
    const details = result.errors
      .map((error) => `- [${String(error.extensions["code"] ?? "?")}] ${error.message}`)
      .join("\n");
    throw new Error(`composition failed:\n${details}`);
  }
  return {
    supergraphSdl: result.supergraphSdl,
    apiSchema: result.schema.toAPISchema().toGraphQLJSSchema(),
    hints: result.hints,
  };
}

const ROUTER_AUTH_DIRECTIVES = new Set(["authenticated", "requiresScopes"]);

/**
 * The SDL without Federation's router-level auth directives. @apollo/gateway refuses any supergraph that links a
 * `for: SECURITY` feature it does not implement ("feature https://specs.apollo.dev/requiresScopes/v0.1 is for:
 * SECURITY but is unsupported"), so its test composes without them; the subgraph enforces the scopes itself either
 * way. Hive Gateway and the Apollo Router read them (test/federation/hiveGateway.e2e.test.ts).
 */
export function withoutRouterAuthDirectives(sdl: string): string {
  const stripped = visit(parse(sdl), {
    Directive: (node) => (ROUTER_AUTH_DIRECTIVES.has(node.name.value) ? null : undefined),
    ListValue: (node) =>
      // The @link import list: drop "@authenticated" and "@requiresScopes".
      ({
        ...node,
        values: node.values.filter(
          (value) => !(value.kind === Kind.STRING && ROUTER_AUTH_DIRECTIVES.has(value.value.slice(1))),
        ),
      }),
  });
  return print(stripped);
}
