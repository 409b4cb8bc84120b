// Apollo Server for the subgraph, hardened: explicit introspection/landing page, masked errors, depth and
// complexity limits, a cap on entity batches. Persisted queries are off: the router does not use APQ toward
// subgraphs, so the cache would only be memory to fill.
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginLandingPageLocalDefault } from "@apollo/server/plugin/landingPage/default";
import type { GraphQLSchema } from "graphql";
import type { Logger } from "pino";
import type { Config } from "../config/config.js";
import type { GraphContext } from "../graph/context.js";
import { safeDepthLimit } from "./plugins/depthLimit.js";
import { formatError, requestIdPlugin } from "./plugins/errorMasking.js";
import { operationLimitsPlugin } from "./plugins/operationLimits.js";

export function createApolloServer(schema: GraphQLSchema, config: Config, log: Logger): ApolloServer<GraphContext> {
  const limits = config.graphql;
  return new ApolloServer<GraphContext>({
    schema,
    introspection: limits.introspection,
    // "Did you mean …" suggestions reveal the schema: off wherever introspection is.
    hideSchemaDetailsFromClientErrors: config.production || !limits.introspection,
    // Bounds the parser's work (and its recursion: 5,000 nested fragments overflowed the stack) per document.
    parseOptions: { maxTokens: limits.maxTokens },
    includeStacktraceInErrorResponses: false,
    persistedQueries: false,
    formatError,
    validationRules: [safeDepthLimit(limits.maxDepth)],
    // We stop the server ourselves, after the HTTP listener has drained (see app.ts).
    stopOnTerminationSignals: false,
    logger: {
      debug: (m) => log.debug(m),
      info: (m) => log.info(m),
      warn: (m) => log.warn(m),
      error: (m) => log.error(m),
    },
    plugins: [
      limits.sandbox
        ? ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false })
        : ApolloServerPluginLandingPageDisabled(),
      operationLimitsPlugin({
        maxComplexity: limits.maxComplexity,
        maxEntityRepresentations: limits.maxEntityRepresentations,
      }),
      requestIdPlugin(log),
    ],
  });
}
