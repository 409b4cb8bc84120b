// Refuses operations that are too complex, and `_entities` calls with too many representations, before any
// resolver runs (depth is a validation rule, see apolloServer.ts).
import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError, Kind, type ValueNode, type GraphQLSchema } from "graphql";
import { getComplexity, simpleEstimator } from "graphql-query-complexity";

function listLength(value: ValueNode, variables: Record<string, unknown>): number {
  if (value.kind === Kind.LIST) return value.values.length;
  if (value.kind === Kind.VARIABLE) {
    const v = variables[value.name.value];
    return Array.isArray(v) ? v.length : 0;
  }
  return 0;
}

export function operationLimitsPlugin(options: { maxComplexity: number; maxEntityRepresentations: number }): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation, schema }) {
          const variables = request.variables ?? {};
          for (const selection of operation?.selectionSet.selections ?? []) {
            if (selection.kind !== Kind.FIELD || selection.name.value !== "_entities") continue;
            const representations = selection.arguments?.find((a) => a.name.value === "representations");
            const count = representations ? listLength(representations.value, variables) : 0;
            if (count > options.maxEntityRepresentations) {
              throw new GraphQLError(
                `Too many entity representations: ${count} (at most ${options.maxEntityRepresentations} per request).`,
                { extensions: { code: "BAD_USER_INPUT", http: { status: 400 } } },
              );
            }
          }
          const complexity = getComplexity({
            schema: schema as GraphQLSchema,
            query: document,
            operationName: request.operationName ?? undefined,
            variables,
            estimators: [simpleEstimator({ defaultComplexity: 1 })],
          });
          if (complexity > options.maxComplexity) {
            throw new GraphQLError(`Query is too complex: ${complexity} (at most ${options.maxComplexity}).`, {
              extensions: { code: "QUERY_TOO_COMPLEX", http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
