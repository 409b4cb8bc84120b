import { afterEach, describe, expect, it } from "vitest";
import { PLUM_TOKEN_REFRESH_PATH, PLUM_TOKEN_VALIDATE_PATH } from "../../src/plum/wire.js";
import { createPlumSimulator, type PlumSimulator } from "../../src/simulator/index.js";
import { airmilesOrder, callApi, http } from "./helpers.js";

let sim: PlumSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const INVALID_REQUEST = {
  error: "invalid_request",
  error_description: "missing/invalid parameters authorization header",
};
const INVALID_TOKEN = { error: "invalid_token", error_description: "invalid/expired token" };

function refresh(s: PlumSimulator, overrides: Record<string, unknown> = {}) {
  return http(`${s.baseUrl}${PLUM_TOKEN_REFRESH_PATH}`, {
    body: {
      grant_type: "refresh_token",
      refresh_token: s.tokens.refreshToken,
      client_id: "sim-client-id",
      client_secret: "sim-client-secret",
      ...overrides,
    },
  });
}

describe("authentication on the API route", () => {
  it("401 invalid_request for a missing or malformed Authorization header", async () => {
    sim = await createPlumSimulator();
    expect(await callApi(sim, "placeOrder", airmilesOrder(), { token: null })).toMatchObject({
      status: 401,
      json: INVALID_REQUEST,
    });
    const basic = await http(sim.apiUrl, { body: {}, headers: { authorization: "Basic abc" } });
    expect(basic).toMatchObject({ status: 401, json: INVALID_REQUEST });
    expect(sim.orders()).toHaveLength(0);
    // Rejected calls are still counted.
    expect(sim.count("placeOrder")).toBe(1);
  });

  it("401 invalid_token for an unknown token, and faults are not consumed by it", async () => {
    sim = await createPlumSimulator();
    sim.inject({ kind: "status", status: 503 });
    expect(await callApi(sim, "placeOrder", airmilesOrder(), { token: "nope" })).toMatchObject({
      status: 401,
      json: INVALID_TOKEN,
    });
    expect((await callApi(sim, "placeOrder", airmilesOrder())).status).toBe(503);
  });

  it("401 invalid_token after expireAccessToken(), until a refresh", async () => {
    sim = await createPlumSimulator({ accessToken: "tok-1" });
    expect((await callApi(sim, "placeOrder", airmilesOrder(), { token: "tok-1" })).status).toBe(200);
    sim.expireAccessToken();
    expect(await callApi(sim, "placeOrder", airmilesOrder(), { token: "tok-1" })).toMatchObject({
      status: 401,
      json: INVALID_TOKEN,
    });
    const refreshed = await refresh(sim);
    expect(refreshed.status).toBe(200);
    const fresh = (refreshed.json as { access_token: string }).access_token;
    expect((await callApi(sim, "placeOrder", airmilesOrder(), { token: fresh })).status).toBe(200);
  });

  it("rejects a token past its TTL", async () => {
    sim = await createPlumSimulator({ accessTokenTtlSeconds: 0 });
    expect(await callApi(sim, "placeOrder", airmilesOrder())).toMatchObject({ status: 401, json: INVALID_TOKEN });
  });
});

describe("token refresh", () => {
  it("rotates both tokens; the old refresh token dies at once, the old access token keeps working", async () => {
    sim = await createPlumSimulator();
    const before = Date.now();
    const result = await refresh(sim);
    expect(result.status).toBe(200);
    const body = result.json as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: "bearer", expires_in: 1_296_000 });
    expect(body["access_token"]).not.toBe("sim-access-token");
    expect(body["refresh_token"]).not.toBe("sim-refresh-token");
    expect(typeof body["access_token_expiry"]).toBe("string");
    expect(Number(body["access_token_expiry"])).toBeGreaterThanOrEqual(before + 1_296_000_000);
    expect(Number(body["refresh_token_expiry"])).toBeGreaterThan(Number(body["access_token_expiry"]));
    expect(sim.tokens).toEqual({ accessToken: body["access_token"], refreshToken: body["refresh_token"] });

    const reused = await refresh(sim, { refresh_token: "sim-refresh-token" });
    expect(reused.status).toBe(401);
    expect(reused.json).toMatchObject({ error: "invalid_grant" });

    expect((await callApi(sim, "placeOrder", airmilesOrder(), { token: String(body["access_token"]) })).status).toBe(
      200,
    );
    expect((await callApi(sim, "placeOrder", airmilesOrder(), { token: "sim-access-token" })).status).toBe(200);
    expect(sim.count("tokenRefresh")).toBe(2);
    expect(sim.calls("tokenRefresh")[0]?.authorization).toBeNull();
  });

  it("can invalidate the old access token on refresh", async () => {
    sim = await createPlumSimulator({ invalidateOldAccessTokenOnRefresh: true });
    await refresh(sim);
    expect(await callApi(sim, "placeOrder", airmilesOrder(), { token: "sim-access-token" })).toMatchObject({
      status: 401,
      json: INVALID_TOKEN,
    });
    expect((await callApi(sim, "placeOrder", airmilesOrder(), { token: sim.tokens.accessToken })).status).toBe(200);
  });

  it("401 invalid_grant for wrong client credentials or an unknown refresh token; 400 for a bad request", async () => {
    sim = await createPlumSimulator();
    expect(await refresh(sim, { client_secret: "wrong" })).toMatchObject({
      status: 401,
      json: { error: "invalid_grant" },
    });
    expect(await refresh(sim, { refresh_token: "unknown" })).toMatchObject({
      status: 401,
      json: { error: "invalid_grant" },
    });
    expect(await refresh(sim, { grant_type: "password" })).toMatchObject({
      status: 400,
      json: { error: "unsupported_grant_type" },
    });
    expect(await refresh(sim, { client_id: undefined })).toMatchObject({
      status: 400,
      json: { error: "invalid_request" },
    });
    // Nothing rotated.
    expect(sim.tokens).toEqual({ accessToken: "sim-access-token", refreshToken: "sim-refresh-token" });
  });

  it("applies tokenRefresh faults to the refresh route", async () => {
    sim = await createPlumSimulator();
    sim.inject({ operation: "tokenRefresh", kind: "rateLimit" });
    expect(await refresh(sim)).toMatchObject({
      status: 429,
      json: { errors: [{ message: "auth.request_limit_exceeded", penaltySeconds: 60 }] },
    });
    // A lost refresh response: rotated server-side, but the client never sees the new pair.
    sim.inject({ operation: "tokenRefresh", kind: "resetAfterProcessing" });
    await expect(refresh(sim)).rejects.toThrow();
    expect(sim.tokens.refreshToken).not.toBe("sim-refresh-token");
    expect(await refresh(sim, { refresh_token: "sim-refresh-token" })).toMatchObject({ status: 401 });
  });
});

describe("token validation", () => {
  it("GET /oauth/token answers the remaining life or 401", async () => {
    sim = await createPlumSimulator();
    const ok = await http(`${sim.baseUrl}${PLUM_TOKEN_VALIDATE_PATH}`, {
      method: "GET",
      headers: { authorization: "Bearer sim-access-token" },
    });
    expect(ok.status).toBe(200);
    const body = ok.json as { access_token: string; token_type: string; expires_in: number };
    expect(body.access_token).toBe("sim-access-token");
    expect(body.token_type).toBe("bearer");
    expect(body.expires_in).toBeGreaterThan(1_295_990);
    expect(body.expires_in).toBeLessThanOrEqual(1_296_000);
    const bad = await http(`${sim.baseUrl}${PLUM_TOKEN_VALIDATE_PATH}`, {
      method: "GET",
      headers: { authorization: "Bearer nope" },
    });
    expect(bad).toMatchObject({ status: 401, json: INVALID_TOKEN });
    expect(sim.count("tokenValidate")).toBe(2);
  });
});
