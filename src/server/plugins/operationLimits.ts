// Refuses operations that are too complex, and `_entities` calls with too many representations, before any
// resolver runs (depth is a validation rule, see apolloServer.ts).
import type { ApolloServerPlugin } from "@apollo/server";
import {
  BREAK,
  getVariableValues,
  GraphQLError,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValueNode,
  visit,
} from "graphql";
import { getComplexity, simpleEstimator, type ComplexityEstimator } from "graphql-query-complexity";
import { BULK_PLACEMENT_FIELDS } from "../../graph/resolvers/BulkPlacementResolver.js";

function listLength(value: ValueNode, variables: Record<string, unknown>): number {
  if (value.kind === Kind.LIST) return value.values.length;
  if (value.kind === Kind.VARIABLE) {
    const v = variables[value.name.value];
    return Array.isArray(v) ? v.length : 0;
  }
  return 0;
}

/**
 * Representations across every `_entities` field of the operation: aliases add up, and fields inside inline
 * fragments and fragment spreads count too (otherwise `{ ... on Query { _entities(…) } }` would escape the cap).
 */
function countRepresentations(
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  seen: Set<string> = new Set(),
): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== "_entities") continue;
      const representations = selection.arguments?.find((a) => a.name.value === "representations");
      count += representations ? listLength(representations.value, variables) : 0;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += countRepresentations(selection.selectionSet, fragments, variables, seen);
    } else {
      const fragment = fragments.get(selection.name.value);
      if (fragment === undefined || seen.has(fragment.name.value)) continue; // validation reports these
      seen.add(fragment.name.value);
      count += countRepresentations(fragment.selectionSet, fragments, variables, seen);
    }
  }
  return count;
}

/**
 * With the simple estimator, complexity depends on variables only through `@skip`/`@include(if: $var)`. Documents
 * without those are scored once: Apollo Server hands back the same parsed document for the same query text.
 */
function dependsOnVariables(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    // A bulk mutation scores per item, and its list may come in a variable.
    Field(node) {
      if (BULK_PLACEMENT_FIELDS.has(node.name.value)) {
        found = true;
        return BREAK;
      }
      return undefined;
    },
    Directive(node) {
      if (
        (node.name.value === "skip" || node.name.value === "include") &&
        node.arguments?.some((a) => a.value.kind === Kind.VARIABLE)
      ) {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/**
 * A bulk placement scores one per item plus its payload selection (whose fields are flat per item): with the
 * default MAX_QUERY_COMPLEXITY (1,000) a call of BULK_PLACEMENT_MAX (500) items fits. (Field extensions do not
 * survive the federated schema build, so the rule lives here.)
 */
const bulkEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  if (!BULK_PLACEMENT_FIELDS.has(field.name)) return undefined;
  const inputs: unknown = args["inputs"];
  return (Array.isArray(inputs) ? inputs.length : 1) + childComplexity;
};

const complexityCache = new WeakMap<DocumentNode, Map<string, number>>();
const entitiesCache = new WeakMap<DocumentNode, boolean>();

/** Whether any field of the document is `_entities`: without one the representation count is 0 whatever the variables. */
function mentionsEntities(document: DocumentNode): boolean {
  let found = entitiesCache.get(document);
  if (found === undefined) {
    found = false;
    visit(document, {
      Field(node) {
        if (node.name.value !== "_entities") return undefined;
        found = true;
        return BREAK;
      },
    });
    entitiesCache.set(document, found);
  }
  return found;
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  return fragments;
}

export function operationLimitsPlugin(options: {
  maxComplexity: number;
  maxEntityRepresentations: number;
}): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation, schema }) {
          const variables = request.variables ?? {};
          // The common case (a placement, a read): a document already scored within the limit and without
          // `_entities` needs neither the variables coerced (execution does that again) nor a walk; the answer
          // is the same as the full path's, which throws nothing here either.
          const known = complexityCache.get(document)?.get(request.operationName ?? "");
          if (known !== undefined && known <= options.maxComplexity && !mentionsEntities(document)) return;
          // Counted on the coerced values, defaults included: `query($r: [_Any!]! = [...])` sends no variables.
          // Variables that do not fit the operation make getComplexity throw, which Apollo would answer with a
          // 500. Execution refuses them before any resolver runs, as a 400 BAD_USER_INPUT that says what is wrong.
          const coerced = getVariableValues(schema as GraphQLSchema, operation?.variableDefinitions ?? [], variables);
          if (coerced.errors !== undefined) return;
          const count = operation
            ? countRepresentations(operation.selectionSet, fragmentsOf(document), coerced.coerced)
            : 0;
          if (count > options.maxEntityRepresentations) {
            throw new GraphQLError(
              `Too many entity representations: ${count} (at most ${options.maxEntityRepresentations} per request).`,
              { extensions: { code: "BAD_USER_INPUT", http: { status: 400 } } },
            );
          }
          const cacheKey = request.operationName ?? "";
          let complexity = complexityCache.get(document)?.get(cacheKey);
          if (complexity === undefined) {
            complexity = getComplexity({
              schema: schema as GraphQLSchema,
              query: document,
              operationName: request.operationName ?? undefined,
              variables,
              // The bulk mutations per item, then one per field.
              estimators: [bulkEstimator, simpleEstimator({ defaultComplexity: 1 })],
            });
            if (!dependsOnVariables(document)) {
              const perOperation = complexityCache.get(document) ?? new Map<string, number>();
              perOperation.set(cacheKey, complexity);
              complexityCache.set(document, perOperation);
            }
          }
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
