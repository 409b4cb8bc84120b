// Verifies the end user's JWT that the router forwards (jose): JWKS or an HS256 secret, with issuer, audience
// and algorithms pinned. Scopes come from `scope` (space-separated) or `scp` (array); the subject from `sub`.
import { webcrypto } from "node:crypto";
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from "jose";
import type { AuthConfig } from "../config/config.js";
import type { Caller } from "./caller.js";

export class InvalidTokenError extends Error {
  constructor(readonly reason: "expired" | "invalid") {
    super(reason === "expired" ? "The bearer token has expired." : "The bearer token is invalid.");
    this.name = "InvalidTokenError";
  }
}

export type JwtVerifier = (token: string) => Promise<Caller>;

function scopesOf(payload: JWTPayload): Set<string> {
  const scopes = new Set<string>();
  if (typeof payload.scope === "string") payload.scope.split(" ").filter(Boolean).forEach((s) => scopes.add(s));
  const scp = payload.scp;
  if (Array.isArray(scp)) scp.filter((s): s is string => typeof s === "string").forEach((s) => scopes.add(s));
  else if (typeof scp === "string") scp.split(" ").filter(Boolean).forEach((s) => scopes.add(s));
  return scopes;
}

export function createJwtVerifier(auth: AuthConfig): JwtVerifier {
  // The JWKS is fetched lazily, cached, and refetched on an unknown `kid` (rate-limited by jose). A shared secret is
  // imported once per HMAC algorithm: handing jose the raw bytes would re-import it on every request.
  const secret = new TextEncoder().encode(auth.jwtSecret ?? "");
  const hmacKeys = new Map<string, Promise<webcrypto.CryptoKey>>();
  const hmacKey = (alg: string): Promise<webcrypto.CryptoKey> => {
    let key = hmacKeys.get(alg);
    if (key === undefined) {
      key = webcrypto.subtle.importKey("raw", secret, { name: "HMAC", hash: `SHA-${alg.slice(2)}` }, false, ["verify"]);
      hmacKeys.set(alg, key);
    }
    return key;
  };
  // jose checks `alg` against the pinned algorithms before it asks for a key.
  const key = auth.jwksUrl ? createRemoteJWKSet(new URL(auth.jwksUrl)) : (header: { alg?: string }) => hmacKey(header.alg ?? "");
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, key as Parameters<typeof jwtVerify>[1], {
        issuer: auth.issuer,
        audience: auth.audience,
        algorithms: auth.algorithms,
        requiredClaims: ["sub", "exp"],
      });
      return { subject: payload.sub ?? null, scopes: scopesOf(payload), authenticated: true };
    } catch (error) {
      throw new InvalidTokenError(error instanceof errors.JWTExpired ? "expired" : "invalid");
    }
  };
}
