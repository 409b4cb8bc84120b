// Clients see our messages for errors we raise on purpose (GraphQL validation, auth, limits, upstream
// unavailability) and a generic message with a request id for anything else: no stack traces, no upstream text.
import type { ApolloServerPlugin } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import type { Logger } from "pino";
import { UpstreamUnavailableError } from "../../orders/OrderReader.js";
import { UpstreamRefusedError } from "../../orders/upstreamBudget.js";
import { withoutLiteralValue, withoutSubmittedValue, withoutTokenValue } from "./variableErrors.js";

const INTERNAL = "INTERNAL_SERVER_ERROR";

export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof UpstreamUnavailableError) {
    return { ...formatted, message: original.message, extensions: { code: "UPSTREAM_UNAVAILABLE" } };
  }
  if (original instanceof UpstreamRefusedError) {
    const retry = original.retryAfterSeconds === null ? {} : { retryAfterSeconds: original.retryAfterSeconds };
    return { ...formatted, message: original.message, extensions: { code: original.code, ...retry } };
  }
  const code = formatted.extensions?.code;
  if (code === "BAD_USER_INPUT") return { ...formatted, message: withoutSubmittedValue(formatted.message) };
  if (code === "GRAPHQL_PARSE_FAILED") return { ...formatted, message: withoutTokenValue(formatted.message) };
  if (code === "GRAPHQL_VALIDATION_FAILED") return { ...formatted, message: withoutLiteralValue(formatted.message) };
  // Errors we raise on purpose are GraphQLErrors with a code; anything else is a bug or an outage.
  if (original instanceof GraphQLError && typeof code === "string" && code !== INTERNAL) return formatted;
  if (!(original instanceof Error) && typeof code === "string" && code !== INTERNAL) return formatted;
  return {
    message: "Internal server error",
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: INTERNAL },
  };
}

export function requestIdPlugin(log: Logger): ApolloServerPlugin<{ requestId: string; log: Logger }> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ contextValue, errors }) {
          for (const error of errors) {
            const original = unwrapResolverError(error);
            const expected =
              original instanceof GraphQLError ||
              original instanceof UpstreamUnavailableError ||
              original instanceof UpstreamRefusedError;
            if (!expected) {
              (contextValue?.log ?? log).error({ err: original, path: error.path }, "unexpected error while resolving");
            }
          }
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== "single") return;
          const errors = response.body.singleResult.errors;
          if (!errors || !contextValue?.requestId) return;
          response.body.singleResult.errors = errors.map((e) => ({
            ...e,
            extensions: { ...e.extensions, requestId: contextValue.requestId },
          }));
        },
      };
    },
  };
}
