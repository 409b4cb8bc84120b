// type-graphql builds the schema; @apollo/subgraph turns it into a Federation 2 subgraph. The SDL is printed with
// directives (graphql-js would drop @key) and the executable resolvers are carried over with createResolversMap,
// plus the plain reference resolvers, all given to buildSubgraphSchema so none is lost (docs/federation-notes.md §2.5).
import { buildSubgraphSchema } from "@apollo/subgraph";
import { printSchemaWithDirectives } from "@graphql-tools/utils";
import { type GraphQLSchema, parse } from "graphql";
import { buildSchema, createResolversMap, type BuildSchemaOptions } from "type-graphql";

// v2.9 for demand control: @listSize and @cost hints on catalogue lists and the fields that ask Plum.
const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@authenticated", "@requiresScopes", "@cost", "@listSize"])';

type SubgraphModule = Extract<Parameters<typeof buildSubgraphSchema>[0], { typeDefs: unknown }>;

export type ReferenceResolvers = Record<
  string,
  { __resolveReference: (reference: never, context: never, info: never) => unknown }
>;

export async function buildFederatedSchema(
  options: BuildSchemaOptions,
  referenceResolvers: ReferenceResolvers,
): Promise<GraphQLSchema> {
  const schema = await buildSchema({ ...options, skipCheck: true });
  const typeDefs = parse(`${FEDERATION_LINK}\n\n${printSchemaWithDirectives(schema)}`);
  const resolvers = createResolversMap(schema) as Record<string, Record<string, unknown>>;
  for (const [typeName, reference] of Object.entries(referenceResolvers)) {
    resolvers[typeName] = { ...resolvers[typeName], ...reference };
  }
  // The one cast: type-graphql's ResolversMap and @apollo/subgraph's map are not assignable (type-graphql #1768).
  return buildSubgraphSchema({ typeDefs, resolvers: resolvers as unknown as SubgraphModule["resolvers"] });
}
