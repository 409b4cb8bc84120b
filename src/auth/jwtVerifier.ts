// Verifies the end user's JWT that the router forwards (jose): JWKS or an HS256 secret, with issuer, audience
// and algorithms pinned. Scopes come from `scope` (space-separated) or `scp` (array); the subject from `sub`.
import { webcrypto } from "node:crypto";
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from "jose";
import type { AuthConfig } from "../config/config.js";
import type { Caller } from "./caller.js";
import { createVerifiedTokenCache, type VerifiedTokenCache } from "./verifiedTokenCache.js";

export type InvalidTokenReason = "expired" | "invalid" | "subject" | "type" | "age";

const MESSAGES: Record<InvalidTokenReason, string> = {
  expired: "The bearer token has expired.",
  invalid: "The bearer token is invalid.",
  subject: "The bearer token's sub claim must be a non-empty string.",
  type: "The bearer token's typ header is not the one this service accepts.",
  age: "The bearer token is older than this service accepts (iat); get a fresh one.",
};

export class InvalidTokenError extends Error {
  constructor(readonly reason: InvalidTokenReason) {
    super(MESSAGES[reason]);
    this.name = "InvalidTokenError";
  }
}

/** jose's failure as one of our reasons; claim names are jose's (`iat` for the token age, `typ` for the header). */
function reasonOf(error: unknown): InvalidTokenReason {
  if (error instanceof InvalidTokenError) return error.reason;
  const claim =
    error instanceof errors.JWTClaimValidationFailed || error instanceof errors.JWTExpired ? error.claim : null;
  if (claim === "iat") return "age";
  if (claim === "typ") return "type";
  return error instanceof errors.JWTExpired ? "expired" : "invalid";
}

export type JwtVerifier = (token: string) => Promise<Caller>;

function scopesOf(payload: JWTPayload): Set<string> {
  const scopes = new Set<string>();
  if (typeof payload.scope === "string")
    payload.scope
      .split(" ")
      .filter(Boolean)
      .forEach((s) => scopes.add(s));
  const scp = payload.scp;
  if (Array.isArray(scp)) scp.filter((s): s is string => typeof s === "string").forEach((s) => scopes.add(s));
  else if (typeof scp === "string")
    scp
      .split(" ")
      .filter(Boolean)
      .forEach((s) => scopes.add(s));
  return scopes;
}

/** Distinct verified tokens remembered (each at most MAX_CACHED_TOKEN_LENGTH characters); a hit is re-verified by jose at least once a minute. */
const TOKEN_CACHE_CAPACITY = 10_000;
const TOKEN_CACHE_MAX_ENTRY_AGE_MS = 60_000;

export interface JwtVerifierOptions {
  /** The clock (ms since the epoch) for jose's time claims and the cache; Date.now by default. */
  now?: () => number;
  /** Where verified tokens are remembered (tests look into it); a bounded LRU by default. */
  cache?: VerifiedTokenCache;
}

export function createJwtVerifier(auth: AuthConfig, options: JwtVerifierOptions = {}): JwtVerifier {
  const now = options.now ?? Date.now;
  const cache =
    options.cache ??
    createVerifiedTokenCache({
      capacity: TOKEN_CACHE_CAPACITY,
      maxTokenAgeSeconds: auth.maxTokenAgeSeconds,
      maxEntryAgeMs: TOKEN_CACHE_MAX_ENTRY_AGE_MS,
      now,
    });
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
  const key = auth.jwksUrl
    ? createRemoteJWKSet(new URL(auth.jwksUrl))
    : (header: { alg?: string }) => hmacKey(header.alg ?? "");
  return async (token) => {
    const cached = cache.get(token);
    if (cached !== undefined) return cached;
    try {
      const { payload } = await jwtVerify(token, key as Parameters<typeof jwtVerify>[1], {
        currentDate: new Date(now()),
        issuer: auth.issuer,
        audience: auth.audience,
        algorithms: auth.algorithms,
        requiredClaims: ["sub", "exp", ...(auth.maxTokenAgeSeconds > 0 ? ["iat"] : [])],
        ...(auth.tokenType === undefined ? {} : { typ: auth.tokenType }),
        ...(auth.maxTokenAgeSeconds > 0 ? { maxTokenAge: auth.maxTokenAgeSeconds } : {}),
      });
      // The subject keys the caller's orders and poNumbers: a number or "" would be another caller's key.
      if (typeof payload.sub !== "string" || payload.sub.trim() === "") throw new InvalidTokenError("subject");
      const caller: Caller = Object.freeze({ subject: payload.sub, scopes: scopesOf(payload), authenticated: true });
      // Only after every check passed; exp is a required claim, so jose has checked it is a number.
      if (typeof payload.exp === "number")
        cache.set(token, caller, { exp: payload.exp, nbf: payload.nbf, iat: payload.iat });
      return caller;
    } catch (error) {
      throw new InvalidTokenError(reasonOf(error));
    }
  };
}
