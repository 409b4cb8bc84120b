// Verified bearer tokens, by their exact string, so a caller's repeated requests skip the signature check (jose's
// HMAC/RSA verify was ~110 µs of every request). Only the time-independent checks are remembered: signature, alg,
// typ, issuer, audience, subject. The time claims are checked against the clock on every hit, with jose's own
// rules, and a hit that fails them is dropped so the token goes through jose again: a cached token is refused
// exactly when, and with the same error as, an uncached one. Failures are never stored.
import type { Caller } from "./caller.js";

/** The claims a hit must re-check (seconds since the epoch, as in the token). */
export interface TimeClaims {
  exp: number;
  nbf: number | undefined;
  iat: number | undefined;
}

interface Entry {
  caller: Caller;
  claims: TimeClaims;
  /** Clock (ms) after which the entry is verified afresh whatever its exp (see maxEntryAgeMs). */
  reverifyAtMs: number;
}

export interface VerifiedTokenCacheOptions {
  /** Entries kept; the least recently used goes first. Bounded so distinct tokens cannot grow memory. */
  capacity: number;
  /** AUTH_MAX_TOKEN_AGE_SECONDS: a hit whose iat is older is not used (0: no limit), as jose's maxTokenAge. */
  maxTokenAgeSeconds: number;
  /**
   * A hit older than this is verified again even before its exp: with a JWKS, a key the issuer withdrew stops
   * being trusted within about this long (jose itself keeps a fetched key set for minutes).
   */
  maxEntryAgeMs: number;
  /** Milliseconds since the epoch (Date.now); the verifier hands jose the same clock. */
  now: () => number;
}

export interface VerifiedTokenCache {
  /** The caller of a token verified before whose time claims still hold now; undefined otherwise. */
  get(token: string): Caller | undefined;
  /** Remembers a token jose has just verified (never call it for a failure). */
  set(token: string, caller: Caller, claims: TimeClaims): void;
  readonly size: number;
}

/** jose's checks with no clock tolerance: nbf ≤ now, exp > now, 0 ≤ now − iat ≤ max age (whole seconds). */
export function timeClaimsHold(claims: TimeClaims, nowMs: number, maxTokenAgeSeconds: number): boolean {
  const now = Math.floor(nowMs / 1000);
  if (claims.nbf !== undefined && claims.nbf > now) return false;
  if (claims.exp <= now) return false;
  if (maxTokenAgeSeconds > 0) {
    if (claims.iat === undefined) return false;
    const age = now - claims.iat;
    if (age > maxTokenAgeSeconds || age < 0) return false;
  }
  return true;
}

/**
 * Longer tokens are verified every time instead: with the entry count this bounds the cache's memory (10,000 ×
 * 4 KB ≈ 40 MB at worst, where Node's header limit alone would allow 16 KB tokens).
 */
export const MAX_CACHED_TOKEN_LENGTH = 4_096;

export function createVerifiedTokenCache(options: VerifiedTokenCacheOptions): VerifiedTokenCache {
  // A Map iterates in insertion order: re-inserting on a hit makes the first key the least recently used.
  const entries = new Map<string, Entry>();
  return {
    get(token) {
      const entry = entries.get(token);
      if (entry === undefined) return undefined;
      const now = options.now();
      if (now >= entry.reverifyAtMs || !timeClaimsHold(entry.claims, now, options.maxTokenAgeSeconds)) {
        entries.delete(token);
        return undefined;
      }
      entries.delete(token);
      entries.set(token, entry);
      return entry.caller;
    },
    set(token, caller, claims) {
      if (options.capacity <= 0 || token.length > MAX_CACHED_TOKEN_LENGTH) return;
      entries.delete(token);
      entries.set(token, { caller, claims, reverifyAtMs: options.now() + options.maxEntryAgeMs });
      while (entries.size > options.capacity) {
        const oldest = entries.keys().next();
        if (oldest.done === true) break;
        entries.delete(oldest.value);
      }
    },
    get size() {
      return entries.size;
    },
  };
}
