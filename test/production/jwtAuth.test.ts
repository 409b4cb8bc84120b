// End-user JWTs (HS256 secret): who may call, with which scopes, and that one caller never sees another's
// orders, whichever way they ask (order, orderByPoNumber, _entities) or reuse their poNumber.
import { generateKeyPair } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import {
  EntitiesDocument,
  OrderByIdDocument,
  OrderByPoNumberDocument,
  type OrderFieldsFragment,
} from "../__generated__/graphql.js";
import { gql } from "../support/graphqlClient.js";
import { useTestApp } from "../support/harness.js";
import { bearer, JWT_ENV, JWT_SECRET, signToken, tokenFor } from "../support/jwtTokens.js";
import { airmilesInput, topupInput } from "../support/orderInputs.js";
import { sendAirmiles, sendTopup } from "../support/orderOperations.js";
import { placeAtPlum } from "../support/plumDirect.js";

const t = useTestApp({ env: JWT_ENV });

function codeOf(res: { errors?: { extensions?: Record<string, unknown> }[] }): unknown {
  return res.errors?.[0]?.extensions?.["code"];
}

describe("authentication", () => {
  it("refuses a mutation without a token (UNAUTHENTICATED) and places nothing", async () => {
    const before = t.sim.count("placeOrder");
    const res = await sendAirmiles(t.url, airmilesInput());
    expect(codeOf(res)).toBe("UNAUTHENTICATED");
    expect(res.data ?? null).toBeNull();
    expect(t.sim.count("placeOrder")).toBe(before);
  });

  it("refuses an expired token with 401", async () => {
    const expired = await signToken({
      claims: { sub: "alice", scope: "orders:write" },
      expiresAt: Math.floor(Date.now() / 1000) - 600,
    });
    const res = await sendAirmiles(t.url, airmilesInput(), bearer(expired));
    expect(res.status).toBe(401);
    expect(codeOf(res)).toBe("UNAUTHENTICATED");
    expect(res.errors?.[0]?.message).toMatch(/expired/i);
  });

  it("refuses a wrong issuer, a wrong audience and a token without sub", async () => {
    const claims = { sub: "alice", scope: "orders:write orders:read" };
    const tokens = {
      issuer: await signToken({ claims, issuer: "https://evil.test/" }),
      audience: await signToken({ claims, audience: "another-api" }),
      noSubject: await signToken({ claims: { scope: "orders:write" } }),
      garbage: "not.a.jwt",
    };
    for (const [name, token] of Object.entries(tokens)) {
      const res = await sendAirmiles(t.url, airmilesInput(), bearer(token));
      expect(res.status, name).toBe(401);
      expect(codeOf(res), name).toBe("UNAUTHENTICATED");
    }
  });

  it("refuses algorithms other than the pinned one: HS384 with the same secret, RS256, and alg none", async () => {
    const claims = { sub: "alice", scope: "orders:write" };
    const hs384 = await signToken({ claims, alg: "HS384", key: new TextEncoder().encode(JWT_SECRET) });
    const { privateKey } = await generateKeyPair("RS256");
    const rs256 = await signToken({ claims, alg: "RS256", key: privateKey });
    // An unsigned token built by hand: jose never accepts alg "none", but the pin must hold regardless.
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const none = `${b64({ alg: "none" })}.${b64({ ...claims, iss: JWT_ENV["AUTH_ISSUER"], aud: JWT_ENV["AUTH_AUDIENCE"], exp: Math.floor(Date.now() / 1000) + 600 })}.`;
    for (const [name, token] of Object.entries({ hs384, rs256, none })) {
      const res = await sendAirmiles(t.url, airmilesInput(), bearer(token));
      expect(res.status, name).toBe(401);
      expect(codeOf(res), name).toBe("UNAUTHENTICATED");
    }
  });
});

describe("scopes", () => {
  it("refuses a mutation to a caller with orders:read only (FORBIDDEN)", async () => {
    const before = t.sim.count("placeOrder");
    const res = await sendAirmiles(t.url, airmilesInput(), bearer(await tokenFor("reader", "orders:read")));
    expect(codeOf(res)).toBe("FORBIDDEN");
    expect(t.sim.count("placeOrder")).toBe(before);
  });

  it("refuses a query to a caller with orders:write only (FORBIDDEN)", async () => {
    const res = await gql(
      t.url,
      OrderByPoNumberDocument,
      { poNumber: "whatever-1" },
      bearer(await tokenFor("writer", "orders:write")),
    );
    expect(codeOf(res)).toBe("FORBIDDEN");
  });

  it("reads scopes from a space-separated `scope` string", async () => {
    const res = await sendTopup(
      t.url,
      topupInput(),
      bearer(await tokenFor("scope-string", "openid orders:write profile")),
    );
    expect(res.data?.placeTopupOrder.outcome).toBe("PLACED");
  });

  it("reads scopes from an `scp` array", async () => {
    const token = await signToken({ claims: { sub: "scp-array", scp: ["orders:write", "orders:read"] } });
    const input = airmilesInput();
    const res = await sendAirmiles(t.url, input, bearer(token));
    expect(res.data?.placeAirmilesOrder.outcome).toBe("PLACED");
    const read = await gql(t.url, OrderByPoNumberDocument, { poNumber: input.poNumber }, bearer(token));
    expect(read.data?.orderByPoNumber?.poNumber).toBe(input.poNumber);
  });

  it("records the token's subject on the order", async () => {
    const input = airmilesInput();
    const res = await sendAirmiles(t.url, input, bearer(await tokenFor("subject-recorded", "orders:write")));
    expect(res.data?.placeAirmilesOrder.outcome).toBe("PLACED");
    expect((await t.app.ledger.findByCallerPoNumber("subject-recorded", input.poNumber))?.subject).toBe(
      "subject-recorded",
    );
  });
});

describe("someone else's order", () => {
  let aliceOrder: OrderFieldsFragment;
  let alicePo: string;
  let alice: Record<string, string>;
  let bob: Record<string, string>;
  let admin: Record<string, string>;

  beforeAll(async () => {
    alice = bearer(await tokenFor("alice", "orders:write orders:read"));
    bob = bearer(await tokenFor("bob", "orders:write orders:read"));
    admin = bearer(await tokenFor("ops", "orders:read orders:admin"));
    const input = airmilesInput({ email: "alice.private@example.com" });
    alicePo = input.poNumber;
    const res = await sendAirmiles(t.url, input, alice);
    const order = res.data?.placeAirmilesOrder.order;
    if (!order) throw new Error(`alice's order was not placed: ${JSON.stringify(res)}`);
    aliceOrder = order;
  });

  it("is visible to its owner", async () => {
    const res = await gql(t.url, OrderByIdDocument, { orderId: aliceOrder.orderId }, alice);
    expect(res.data?.order?.orderId).toBe(aliceOrder.orderId);
  });

  it("is null for another subject through order(orderId)", async () => {
    const res = await gql(t.url, OrderByIdDocument, { orderId: aliceOrder.orderId }, bob);
    expect(res.errors).toBeUndefined();
    expect(res.data?.order).toBeNull();
  });

  it("is null for another subject through orderByPoNumber", async () => {
    const res = await gql(t.url, OrderByPoNumberDocument, { poNumber: alicePo }, bob);
    expect(res.errors).toBeUndefined();
    expect(res.data?.orderByPoNumber).toBeNull();
  });

  it("is null for another subject through _entities, and its data never appears in the response", async () => {
    const res = await gql(
      t.url,
      EntitiesDocument,
      { representations: [{ __typename: "Order", orderId: aliceOrder.orderId }] },
      bob,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?._entities).toEqual([null]);
    expect(JSON.stringify(res)).not.toContain(alicePo);
  });

  it("needs orders:read through _entities as well", async () => {
    const res = await gql(
      t.url,
      EntitiesDocument,
      { representations: [{ __typename: "Order", orderId: aliceOrder.orderId }] },
      bearer(await tokenFor("bob", "orders:write")),
    );
    expect(codeOf(res)).toBe("FORBIDDEN");
    expect(JSON.stringify(res)).not.toContain(alicePo);
    const anonymous = await gql(t.url, EntitiesDocument, {
      representations: [{ __typename: "Order", orderId: aliceOrder.orderId }],
    });
    expect(codeOf(anonymous)).toBe("UNAUTHENTICATED");
  });

  it("is visible to an orders:admin caller everywhere", async () => {
    const byId = await gql(t.url, OrderByIdDocument, { orderId: aliceOrder.orderId }, admin);
    expect(byId.data?.order?.poNumber).toBe(alicePo);
    // An admin names another caller's order by the poNumber Plum knows (its dashboard), recorded in the ledger.
    const plumPo = (await t.app.ledger.findByCallerPoNumber("alice", alicePo))?.poNumber ?? "";
    expect(plumPo).not.toBe(alicePo);
    const byPo = await gql(t.url, OrderByPoNumberDocument, { poNumber: plumPo }, admin);
    expect(byPo.data?.orderByPoNumber?.orderId).toBe(aliceOrder.orderId);
    const entities = await gql(
      t.url,
      EntitiesDocument,
      { representations: [{ __typename: "Order", orderId: aliceOrder.orderId }] },
      admin,
    );
    const entity = entities.data?._entities[0];
    expect(entity?.__typename === "Order" ? entity.poNumber : undefined).toBe(alicePo);
  });

  it("cannot be claimed by reusing its poNumber: bob's poNumber is bob's own, never alice's order", async () => {
    // The very same order body alice sent, under bob's token: a separate order in bob's namespace.
    const res = await sendAirmiles(
      t.url,
      airmilesInput({ email: "alice.private@example.com", poNumber: alicePo }),
      bob,
    );
    const payload = res.data?.placeAirmilesOrder;
    expect(payload?.outcome).toBe("PLACED");
    expect(payload?.order?.orderId).not.toBe(aliceOrder.orderId);
    expect(JSON.stringify(res)).not.toContain(aliceOrder.orderId);
    expect((await t.app.ledger.findByCallerPoNumber("alice", alicePo))?.orderId).toBe(aliceOrder.orderId);
  });
});

describe("orders this service only knows of through Plum", () => {
  // Orders learned from Plum carry no subject, so only admins could ever see them: nobody else's read may spend
  // Plum's getOrderDetails budget (shared with reconciliation) or reveal by its timing that a poNumber exists.
  it("are looked up at Plum for an orders:admin caller only", async () => {
    const input = airmilesInput();
    const upstream = await placeAtPlum(t.sim, input);
    const reader = bearer(await tokenFor("bob", "orders:read"));
    const admin = bearer(await tokenFor("ops", "orders:read orders:admin"));
    const lookupsBefore = t.sim.count("getOrderDetails");

    const byPo = await gql(t.url, OrderByPoNumberDocument, { poNumber: input.poNumber }, reader);
    const byId = await gql(t.url, OrderByIdDocument, { orderId: String(upstream.orderId) }, reader);
    const entities = await gql(
      t.url,
      EntitiesDocument,
      { representations: [{ __typename: "Order", orderId: String(upstream.orderId) }] },
      reader,
    );
    expect(byPo.data?.orderByPoNumber ?? null).toBeNull();
    expect(byId.data?.order ?? null).toBeNull();
    expect(entities.data?._entities).toEqual([null]);
    expect(t.sim.count("getOrderDetails")).toBe(lookupsBefore);

    const adminRead = await gql(t.url, OrderByPoNumberDocument, { poNumber: input.poNumber }, admin);
    expect(adminRead.data?.orderByPoNumber?.orderId).toBe(String(upstream.orderId));
    expect(t.sim.count("getOrderDetails")).toBe(lookupsBefore + 1);
  });
});
