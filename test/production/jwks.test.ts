// JWT verification against an identity provider's JWKS (AUTH_JWKS_URL): RS256 tokens signed with a published
// key verify, tokens signed with any other key do not.
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, type CryptoKey } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gql } from "../support/graphqlClient.js";
import { startTestApp, type TestApp } from "../support/harness.js";
import { bearer, JWT_AUDIENCE, JWT_ISSUER, JWT_SECRET, signToken } from "../support/jwtTokens.js";
import { airmilesInput } from "../support/orderInputs.js";
import { sendAirmiles } from "../support/orderOperations.js";

const KID = "test-key-1";

let jwks: Server;
let jwksFetches = 0;
let privateKey: CryptoKey;
let t: TestApp;

beforeAll(async () => {
  const pair = await generateKeyPair("RS256");
  privateKey = pair.privateKey;
  const published = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: KID, alg: "RS256", use: "sig" }] };
  jwks = createServer((req, res) => {
    jwksFetches += 1;
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(published));
  });
  jwks.listen(0, "127.0.0.1");
  await once(jwks, "listening");
  t = await startTestApp({
    AUTH_JWKS_URL: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`,
    AUTH_ISSUER: JWT_ISSUER,
    AUTH_AUDIENCE: JWT_AUDIENCE,
  });
});
afterAll(async () => {
  await t?.close();
  jwks?.closeAllConnections();
  await new Promise<void>((resolve) => (jwks ? jwks.close(() => resolve()) : resolve()));
});

describe("JWKS verification", () => {
  it("accepts an RS256 token signed with the published key, and records its subject", async () => {
    const token = await signToken({
      claims: { sub: "jwks-user", scope: "orders:write orders:read" },
      alg: "RS256",
      kid: KID,
      key: privateKey,
    });
    const input = airmilesInput();
    const res = await sendAirmiles(t.url, input, bearer(token));
    expect(res.data?.placeAirmilesOrder.outcome).toBe("PLACED");
    expect((await t.app.ledger.findByCallerPoNumber("jwks-user", input.poNumber))?.subject).toBe("jwks-user");
    expect(jwksFetches).toBeGreaterThanOrEqual(1);
  });

  it("caches the key set rather than fetching it per request", async () => {
    const token = await signToken({
      claims: { sub: "jwks-user", scope: "orders:read" },
      alg: "RS256",
      kid: KID,
      key: privateKey,
    });
    const before = jwksFetches;
    for (let i = 0; i < 3; i += 1) {
      const res = await gql(
        t.url,
        `{ orderByPoNumber(poNumber: "never-placed-${i}") { orderId } }`,
        undefined,
        bearer(token),
      );
      expect(res.errors).toBeUndefined();
    }
    expect(jwksFetches).toBe(before);
  });

  it("refuses a token signed with an unpublished key (same kid), and an HS256 token", async () => {
    const other = await generateKeyPair("RS256");
    const forged = await signToken({
      claims: { sub: "mallory", scope: "orders:write" },
      alg: "RS256",
      kid: KID,
      key: other.privateKey,
    });
    const hs256 = await signToken({
      claims: { sub: "mallory", scope: "orders:write" },
      alg: "HS256",
      key: new TextEncoder().encode(JWT_SECRET),
    });
    for (const [name, token] of Object.entries({ forged, hs256 })) {
      const res = await sendAirmiles(t.url, airmilesInput(), bearer(token));
      expect(res.status, name).toBe(401);
      expect(res.errors?.[0]?.extensions?.["code"], name).toBe("UNAUTHENTICATED");
    }
  });
});
