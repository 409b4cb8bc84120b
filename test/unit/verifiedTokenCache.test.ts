// The verified-token cache: a cached token is refused exactly when an uncached one would be (exp, nbf, maximum
// age, checked against the clock on every use), the cache is bounded, and a failure is never remembered.
import { SignJWT, type JWTPayload } from "jose";
import { describe, expect, it } from "vitest";
import { createJwtVerifier, InvalidTokenError, type JwtVerifier } from "../../src/auth/jwtVerifier.js";
import {
  createVerifiedTokenCache,
  MAX_CACHED_TOKEN_LENGTH,
  type VerifiedTokenCache,
} from "../../src/auth/verifiedTokenCache.js";
import type { AuthConfig } from "../../src/config/config.js";
import { JWT_AUDIENCE, JWT_ISSUER, JWT_SECRET } from "../support/jwtTokens.js";

const T0 = 1_900_000_000; // seconds

function auth(maxTokenAgeSeconds = 0): AuthConfig {
  return {
    routerSecret: undefined,
    jwksUrl: undefined,
    jwtSecret: JWT_SECRET,
    issuer: JWT_ISSUER,
    audience: JWT_AUDIENCE,
    algorithms: ["HS256"],
    tokenType: undefined,
    maxTokenAgeSeconds,
    enabled: true,
  };
}

function sign(claims: JWTPayload, secret = JWT_SECRET): Promise<string> {
  return new SignJWT({ sub: "alice", scope: "orders:write", ...claims })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuer(JWT_ISSUER)
    .setAudience(JWT_AUDIENCE)
    .sign(new TextEncoder().encode(secret));
}

/** Two verifiers on one clock: one with the cache, one without (capacity 0), so every answer can be compared. */
function verifiers(
  maxTokenAgeSeconds = 0,
  capacity = 100,
): { clock: { ms: number }; cache: VerifiedTokenCache; cached: JwtVerifier; fresh: JwtVerifier } {
  const clock = { ms: T0 * 1000 };
  const now = () => clock.ms;
  const cache = createVerifiedTokenCache({ capacity, maxTokenAgeSeconds, maxEntryAgeMs: 3_600_000, now });
  const uncached = createVerifiedTokenCache({ capacity: 0, maxTokenAgeSeconds, maxEntryAgeMs: 0, now });
  return {
    clock,
    cache,
    cached: createJwtVerifier(auth(maxTokenAgeSeconds), { now, cache }),
    fresh: createJwtVerifier(auth(maxTokenAgeSeconds), { now, cache: uncached }),
  };
}

async function outcome(verify: JwtVerifier, token: string): Promise<string> {
  try {
    return `ok ${(await verify(token)).subject}`;
  } catch (error) {
    return error instanceof InvalidTokenError ? `refused ${error.reason}` : `threw ${String(error)}`;
  }
}

describe("verified-token cache", () => {
  it("a cached token expires at exp exactly as an uncached one", async () => {
    const v = verifiers();
    const token = await sign({ exp: T0 + 10 });
    expect(await outcome(v.cached, token)).toBe("ok alice");
    expect(v.cache.size).toBe(1);
    v.clock.ms = (T0 + 10) * 1000 - 1;
    expect(await outcome(v.cached, token)).toBe("ok alice");
    expect(await outcome(v.fresh, token)).toBe("ok alice");
    v.clock.ms = (T0 + 10) * 1000;
    expect(await outcome(v.fresh, token)).toBe("refused expired");
    expect(await outcome(v.cached, token)).toBe("refused expired");
    expect(v.cache.size).toBe(0);
  });

  it("nbf: a token not yet valid is refused and not remembered; a clock set back refuses a cached one", async () => {
    const v = verifiers();
    const token = await sign({ exp: T0 + 100, nbf: T0 + 5 });
    expect(await outcome(v.cached, token)).toBe("refused invalid");
    expect(v.cache.size).toBe(0);
    v.clock.ms = (T0 + 5) * 1000;
    expect(await outcome(v.cached, token)).toBe("ok alice");
    expect(v.cache.size).toBe(1);
    v.clock.ms = (T0 + 4) * 1000;
    expect(await outcome(v.fresh, token)).toBe("refused invalid");
    expect(await outcome(v.cached, token)).toBe("refused invalid");
  });

  it("the maximum token age (iat) is checked on every use", async () => {
    const v = verifiers(600);
    const token = await sign({ exp: T0 + 3_600, iat: T0 });
    expect(await outcome(v.cached, token)).toBe("ok alice");
    v.clock.ms = (T0 + 600) * 1000 + 999;
    expect(await outcome(v.cached, token)).toBe("ok alice");
    v.clock.ms = (T0 + 601) * 1000;
    expect(await outcome(v.fresh, token)).toBe("refused age");
    expect(await outcome(v.cached, token)).toBe("refused age");
    // An iat in the future (clock set back) is refused as jose refuses it.
    const v2 = verifiers(600);
    const fromNow = await sign({ exp: T0 + 3_600, iat: T0 });
    expect(await outcome(v2.cached, fromNow)).toBe("ok alice");
    v2.clock.ms = (T0 - 1) * 1000;
    expect(await outcome(v2.cached, fromNow)).toBe(await outcome(v2.fresh, fromNow));
    expect(await outcome(v2.cached, fromNow)).not.toMatch(/^ok/);
  });

  it("is bounded: the least recently used token goes first", async () => {
    const v = verifiers(0, 2);
    const [a, b, c] = await Promise.all(["a", "b", "c"].map((sub) => sign({ sub, exp: T0 + 100 })));
    await v.cached(a!);
    await v.cached(b!);
    expect(v.cache.get(a!)?.subject).toBe("a"); // a is now the most recently used
    await v.cached(c!);
    expect(v.cache.size).toBe(2);
    expect(v.cache.get(b!)).toBeUndefined();
    expect(v.cache.get(a!)?.subject).toBe("a");
    expect(v.cache.get(c!)?.subject).toBe("c");
  });

  it("a wrong signature, issuer or a tampered token is never cached", async () => {
    const v = verifiers();
    const forged = await sign({ exp: T0 + 100 }, "another-secret-0123456789-abcdefghijklmnop");
    expect(await outcome(v.cached, forged)).toBe("refused invalid");
    expect(await outcome(v.cached, forged)).toBe("refused invalid");
    const good = await sign({ exp: T0 + 100 });
    expect(await outcome(v.cached, good)).toBe("ok alice");
    const [header, payload] = good.split(".");
    const tampered = `${header}.${payload}.${forged.split(".")[2]}`;
    expect(await outcome(v.cached, tampered)).toBe("refused invalid");
    const otherPayload = Buffer.from(
      JSON.stringify({ sub: "mallory", scope: "orders:admin", exp: T0 + 100, iss: JWT_ISSUER, aud: JWT_AUDIENCE }),
    ).toString("base64url");
    expect(await outcome(v.cached, `${header}.${otherPayload}.${good.split(".")[2]}`)).toBe("refused invalid");
    expect(v.cache.size).toBe(1);
    expect(v.cache.get(forged)).toBeUndefined();
  });

  it("re-verifies an entry older than its maximum entry age", () => {
    let ms = 0;
    const cache = createVerifiedTokenCache({
      capacity: 10,
      maxTokenAgeSeconds: 0,
      maxEntryAgeMs: 1_000,
      now: () => ms,
    });
    cache.set(
      "t",
      { subject: "s", scopes: new Set(), authenticated: true },
      { exp: 1_000, nbf: undefined, iat: undefined },
    );
    ms = 999;
    expect(cache.get("t")?.subject).toBe("s");
    ms = 1_000;
    expect(cache.get("t")).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("does not remember a token longer than MAX_CACHED_TOKEN_LENGTH (memory stays bounded by count × length)", () => {
    const cache = createVerifiedTokenCache({
      capacity: 10,
      maxTokenAgeSeconds: 0,
      maxEntryAgeMs: 60_000,
      now: () => 0,
    });
    const caller = { subject: "s", scopes: new Set<string>(), authenticated: true };
    const claims = { exp: 1_000, nbf: undefined, iat: undefined };
    cache.set("a".repeat(MAX_CACHED_TOKEN_LENGTH), caller, claims);
    cache.set("b".repeat(MAX_CACHED_TOKEN_LENGTH + 1), caller, claims);
    expect(cache.size).toBe(1);
    expect(cache.get("b".repeat(MAX_CACHED_TOKEN_LENGTH + 1))).toBeUndefined();
  });
});
