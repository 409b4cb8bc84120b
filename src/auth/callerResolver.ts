// From the Authorization header to a Caller: no verification configured → unrestricted (development only), no
// bearer → anonymous (the auth checker then answers UNAUTHENTICATED where a scope is needed), a bad bearer →
// UNAUTHENTICATED before anything runs.
import { GraphQLError } from "graphql";
import type { AuthConfig } from "../config/config.js";
import { ANONYMOUS_CALLER, UNRESTRICTED_CALLER, type Caller } from "./caller.js";
import { createJwtVerifier, InvalidTokenError } from "./jwtVerifier.js";

export type CallerResolver = (authorization: string | undefined) => Promise<Caller>;

export function createCallerResolver(auth: AuthConfig): CallerResolver {
  if (!auth.enabled) return async () => UNRESTRICTED_CALLER;
  const verify = createJwtVerifier(auth);
  return async (authorization) => {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
    if (!match?.[1]) return ANONYMOUS_CALLER;
    try {
      return await verify(match[1]);
    } catch (error) {
      const message = error instanceof InvalidTokenError ? error.message : "The bearer token is invalid.";
      throw new GraphQLError(message, { extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } });
    }
  };
}
