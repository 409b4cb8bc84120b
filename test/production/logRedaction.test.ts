// Personal data and secrets never reach the logs or /metrics, whatever happens to an order: placed, refused by
// validation, rejected by Plum, outcome unknown and reconciled, token refreshed, caller refused. The inputs carry
// recognisable canaries; afterwards none of them may appear in any captured log line or in the metrics text.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request } from "undici";
import {
  createPlumSimulator,
  KRISFLYER_PRODUCT_ID,
  SIMULATOR_CLIENT,
  type PlumSimulator,
} from "../../src/simulator/index.js";
import { PlaceAirmilesOrderDocument } from "../__generated__/graphql.js";
import { externalPlumEnv } from "../support/externalPlum.js";
import { gql } from "../support/graphqlClient.js";
import { startTestApp, type TestApp } from "../support/harness.js";
import { bearer, JWT_ENV, signToken, tokenFor } from "../support/jwtTokens.js";
import { airmilesInput, topupInput } from "../support/orderInputs.js";
import { sendAirmiles, sendTopup } from "../support/orderOperations.js";

const ROUTER_SECRET = "router-secret-canary-5e7a1c";
const PHONE = "9876543210";
const LOYALTY = "LOYALTY-CANARY-77";
const CONTACT = "+1-470-555-0199";
const email = (tag: string) => `redaction.canary+${tag}@example.com`;

let sim: PlumSimulator;
let t: TestApp;
let headers: Record<string, string>;
const secrets: string[] = [ROUTER_SECRET, SIMULATOR_CLIENT.clientSecret];

beforeAll(async () => {
  sim = await createPlumSimulator({
    accessToken: "plum-access-canary-0a1b2c3d",
    refreshToken: "plum-refresh-canary-4e5f6a7b",
  });
  secrets.push(sim.tokens.accessToken, sim.tokens.refreshToken);
  // trace: whatever any component logs at any level must be clean.
  t = await startTestApp({ ...externalPlumEnv(sim), ...JWT_ENV, ROUTER_SECRET, LOG_LEVEL: "trace" });
  const jwt = await tokenFor("redaction-user", "orders:write orders:read");
  secrets.push(jwt);
  headers = { "router-authorization": ROUTER_SECRET, ...bearer(jwt) };
});
afterAll(async () => {
  await t?.close();
  await sim?.close();
});

/** Every canary: the personal data in full and in recognisable pieces, and every secret. */
function canaries(): string[] {
  return ["redaction.canary", PHONE, LOYALTY, "LOYALTY-CANARY", CONTACT, "470-555-0199", "4705550199", ...secrets];
}

describe("log redaction", () => {
  beforeAll(async () => {
    const contactful = { contact: CONTACT, userMeta: { loyaltyMemberId: LOYALTY } };
    const phone = { userMeta: { topupPhoneCode: "+91", topupPhoneNumber: PHONE } };

    // Placed.
    expect(
      (await sendAirmiles(t.url, airmilesInput({ email: email("air-ok"), ...contactful }), headers)).data
        ?.placeAirmilesOrder.outcome,
    ).toBe("PLACED");
    expect(
      (await sendTopup(t.url, topupInput({ email: email("top-ok"), ...phone }), headers)).data?.placeTopupOrder.outcome,
    ).toBe("PLACED");

    // Refused by our validation (INVALID_INPUT), each with the personal data alongside the bad field.
    const invalidAir = await sendAirmiles(
      t.url,
      airmilesInput({ email: email("air-invalid"), denomination: -5, ...contactful }),
      headers,
    );
    expect(invalidAir.data?.placeAirmilesOrder.errors[0]?.code).toBe("INVALID_INPUT");
    const invalidTop = await sendTopup(t.url, topupInput({ email: `${email("top-invalid")}@`, ...phone }), headers);
    expect(invalidTop.data?.placeTopupOrder.errors[0]?.code).toBe("INVALID_INPUT");

    // Refused by GraphQL itself (variable coercion), whose message quotes the whole input back.
    const withUnknownField = { ...airmilesInput({ email: email("coercion"), ...contactful }), unknownField: LOYALTY };
    const coercion = await gql(t.url, PlaceAirmilesOrderDocument, { input: withUnknownField }, headers);
    expect(coercion.errors?.[0]?.extensions?.["code"]).toBe("BAD_USER_INPUT");

    // Rejected by Plum (product not activated).
    const rejected = await sendAirmiles(
      t.url,
      airmilesInput({ productId: KRISFLYER_PRODUCT_ID, email: email("rejected"), ...contactful }),
      headers,
    );
    expect(rejected.data?.placeAirmilesOrder.outcome).toBe("REJECTED");

    // Outcome unknown (Plum created the order, then answered 502), for both kinds, then reconciled.
    sim.inject({ kind: "createdThen502", times: 2 });
    const unknownAir = await sendAirmiles(
      t.url,
      airmilesInput({ email: email("air-unknown"), ...contactful }),
      headers,
    );
    expect(unknownAir.data?.placeAirmilesOrder.errors[0]?.code).toBe("OUTCOME_UNKNOWN");
    const unknownTop = await sendTopup(t.url, topupInput({ email: email("top-unknown"), ...phone }), headers);
    expect(unknownTop.data?.placeTopupOrder.errors[0]?.code).toBe("OUTCOME_UNKNOWN");
    await new Promise((resolve) => setTimeout(resolve, 400)); // past RECONCILE_SETTLE_MS
    await t.app.reconciler.runOnce();

    // A token refresh: the rotated pair must not be logged either.
    sim.expireAccessToken();
    expect(
      (await sendTopup(t.url, topupInput({ email: email("after-refresh"), ...phone }), headers)).data?.placeTopupOrder
        .outcome,
    ).toBe("PLACED");
    expect(sim.count("tokenRefresh")).toBe(1);
    secrets.push(sim.tokens.accessToken, sim.tokens.refreshToken);

    // Refused callers: an expired token, a wrong router secret (the presented values are secrets too).
    const expired = await signToken({
      claims: { sub: "redaction-user", scope: "orders:write" },
      expiresAt: Math.floor(Date.now() / 1000) - 60,
    });
    secrets.push(expired);
    expect(
      (
        await sendAirmiles(t.url, airmilesInput({ email: email("expired") }), {
          "router-authorization": ROUTER_SECRET,
          ...bearer(expired),
        })
      ).status,
    ).toBe(401);
    const wrongSecret = "wrong-router-secret-canary-9f";
    secrets.push(wrongSecret);
    expect(
      (
        await sendAirmiles(t.url, airmilesInput({ email: email("wrong-secret") }), {
          "router-authorization": wrongSecret,
        })
      ).status,
    ).toBe(401);

    // Reads by poNumber go through the ledger and Plum as well.
    await gql(t.url, `{ orderByPoNumber(poNumber: "unknown-po-1") { orderId } }`, undefined, headers);

    // Last, an internal failure while placing (the ledger is gone): the error is logged, the input is not.
    await t.app.ledger.close();
    const broken = await sendAirmiles(t.url, airmilesInput({ email: email("internal"), ...contactful }), headers);
    expect(broken.errors?.[0]?.extensions?.["code"]).toBe("INTERNAL_SERVER_ERROR");
  });

  it("logged what happened (the test exercised real log paths)", () => {
    const messages = t.logs.records().map((r) => r["msg"]);
    expect(messages).toContain("order placed");
    expect(messages).toContain("order rejected");
    expect(messages).toContain("order outcome unknown; will reconcile");
    expect(messages).toContain("Plum access token refreshed");
    expect(messages).toContain("unexpected error while resolving");
  });

  it("never logs personal data or secrets", () => {
    const text = t.logs.text;
    const leaks = canaries().filter((canary) => text.includes(canary));
    expect(leaks).toEqual([]);
  });

  it("never exposes them in /metrics", async () => {
    const response = await request(`${new URL(t.url).origin}/metrics`);
    const text = await response.body.text();
    expect(text).toContain("orders_placements_total");
    expect(canaries().filter((canary) => text.includes(canary))).toEqual([]);
  });
});
