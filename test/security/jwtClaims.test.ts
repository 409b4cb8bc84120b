// Finding 6: `sub` was not type-checked ("sub": 123 placed an order whose retry was PO_NUMBER_CONFLICT), `typ` was
// not pinned and tokens had no maximum age. Each is now a clear UNAUTHENTICATED before anything runs.
import { SignJWT, type JWTPayload } from "jose";
import { describe, expect, it } from "vitest";
import { useTestApp } from "../support/harness.js";
import { bearer, JWT_AUDIENCE, JWT_ENV, JWT_ISSUER, JWT_SECRET } from "../support/jwtTokens.js";
import { airmilesInput } from "../support/orderInputs.js";
import { sendAirmiles } from "../support/orderOperations.js";

const TYP = "at+jwt";
const t = useTestApp({ env: { ...JWT_ENV, AUTH_JWT_TYP: TYP, AUTH_MAX_TOKEN_AGE_SECONDS: "600" } });

async function sign(claims: JWTPayload, options: { typ?: string; issuedAt?: number } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ scope: "orders:write orders:read", ...claims })
    .setProtectedHeader({ alg: "HS256", ...(options.typ === undefined ? {} : { typ: options.typ }) })
    .setIssuedAt(options.issuedAt ?? now)
    .setIssuer(JWT_ISSUER)
    .setAudience(JWT_AUDIENCE)
    .setExpirationTime(now + 600)
    .sign(new TextEncoder().encode(JWT_SECRET));
}

async function refused(token: string, message: RegExp): Promise<void> {
  const before = t.sim.count("placeOrder");
  const res = await sendAirmiles(t.url, airmilesInput(), bearer(token));
  expect(res.status).toBe(401);
  expect(res.errors?.[0]?.extensions?.["code"]).toBe("UNAUTHENTICATED");
  expect(res.errors?.[0]?.message).toMatch(message);
  expect(t.sim.count("placeOrder")).toBe(before);
}

describe("JWT claims", () => {
  it('refuses "sub": 123 and an empty sub; a string sub places and replays (the attack of finding 6)', async () => {
    await refused(await sign({ sub: 123 as unknown as string }, { typ: TYP }), /sub claim must be a non-empty string/);
    await refused(await sign({ sub: "" }, { typ: TYP }), /sub claim must be a non-empty string/);
    await refused(await sign({ sub: "  " }, { typ: TYP }), /sub claim must be a non-empty string/);
    const token = bearer(await sign({ sub: "123" }, { typ: TYP }));
    const input = airmilesInput();
    expect((await sendAirmiles(t.url, input, token)).data?.placeAirmilesOrder.outcome).toBe("PLACED");
    expect((await sendAirmiles(t.url, input, token)).data?.placeAirmilesOrder.outcome).toBe("REPLAYED");
  });

  it("refuses a token without the pinned typ, or with another one", async () => {
    await refused(await sign({ sub: "alice" }), /typ header/);
    await refused(await sign({ sub: "alice" }, { typ: "JWT" }), /typ header/);
  });

  it("refuses a token issued longer ago than the maximum age, even if it has not expired", async () => {
    const old = Math.floor(Date.now() / 1000) - 3_600;
    await refused(await sign({ sub: "alice" }, { typ: TYP, issuedAt: old }), /older than this service accepts/);
  });
});
