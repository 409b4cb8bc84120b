// The single place where scopes are enforced: fields declare theirs with @RequiresScopes (access/RequiresScopes.ts:
// type-graphql's @Authorized plus the router's @requiresScopes), and the entity reference resolver (which type-graphql
// does not wrap) calls `requireScopes` itself.
import { GraphQLError } from "graphql";
import type { AuthChecker } from "type-graphql";
import type { GraphContext } from "./context.js";

export function requireScopes(context: GraphContext, scopes: readonly string[]): void {
  const { caller } = context;
  if (context.authEnabled && !caller.authenticated) {
    throw new GraphQLError("A valid bearer token is required.", {
      extensions: { code: "UNAUTHENTICATED", http: { status: 401 } },
    });
  }
  const missing = scopes.filter((scope) => !caller.scopes.has(scope));
  if (missing.length > 0) {
    throw new GraphQLError(`This operation needs the scope ${missing.join(", ")}.`, {
      extensions: { code: "FORBIDDEN", http: { status: 403 } },
    });
  }
}

export const authChecker: AuthChecker<GraphContext> = ({ context }, scopes) => {
  requireScopes(context, scopes);
  return true;
};
