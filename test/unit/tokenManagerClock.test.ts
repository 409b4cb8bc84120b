// TokenManager's decisions against its clock (the `clock` option), on an in-memory TokenStore: which stored pair is dead
// at start-up, when the access token counts as expired, when a proactive refresh is due. No HTTP is made.
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { TokenManager } from "../../src/plum/tokenManager.js";
import type { StoredTokens, TokenLockOutcome, TokenStore } from "../../src/plum/tokenStore.js";

const HOUR = 3_600_000;
const T0 = new Date("2030-01-01T00:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

function tokenStore(initial: StoredTokens | null): TokenStore & { tokens: StoredTokens | null; locks: number } {
  const store = {
    tokens: initial,
    locks: 0,
    async getTokens() {
      return store.tokens;
    },
    async withTokenLock<T>(fn: (current: StoredTokens | null) => Promise<TokenLockOutcome<T>>): Promise<T> {
      store.locks += 1;
      const outcome = await fn(store.tokens);
      if (outcome.store !== null) store.tokens = outcome.store;
      return outcome.result;
    },
  };
  return store;
}

function manager(store: ReturnType<typeof tokenStore>, clock: { now: Date }) {
  return new TokenManager({
    store,
    log: pino({ level: "silent" }),
    refreshUrl: "http://127.0.0.1:9/unused",
    clientId: "client",
    clientSecret: "secret",
    seed: { accessToken: "env-access", refreshToken: "env-refresh" },
    refreshBeforeExpiryMs: HOUR,
    timeoutMs: 1_000,
    record: async () => undefined,
    clock: () => clock.now,
  });
}

const stored = (overrides: Partial<StoredTokens> = {}): StoredTokens => ({
  accessToken: "db-access",
  refreshToken: "db-refresh",
  accessTokenExpiresAt: at(2 * HOUR),
  refreshTokenExpiresAt: at(24 * HOUR),
  updatedAt: T0,
  ...overrides,
});

describe("TokenManager on its clock", () => {
  it("keeps a stored pair whose refresh token is still alive at start-up", async () => {
    const store = tokenStore(stored());
    await manager(store, { now: at(23 * HOUR) }).init();
    expect(store.tokens?.accessToken).toBe("db-access");
  });

  it("replaces a stored pair whose refresh token has expired by the clock with the environment's pair", async () => {
    const store = tokenStore(stored());
    const clock = { now: at(24 * HOUR) };
    await manager(store, clock).init();
    expect(store.tokens).toMatchObject({
      accessToken: "env-access",
      refreshToken: "env-refresh",
      updatedAt: clock.now,
    });
  });

  it("reports the access token valid before its expiry and expired from it on", async () => {
    const clock = { now: at(2 * HOUR - 1) };
    const tokens = manager(tokenStore(stored()), clock);
    await tokens.init();
    expect(tokens.state()).toBe("valid");
    clock.now = at(2 * HOUR);
    expect(tokens.state()).toBe("expired");
  });

  it("does not refresh (nor take the lock) while the token is further from expiry than refreshBeforeExpiryMs", async () => {
    const store = tokenStore(stored());
    const tokens = manager(store, { now: at(HOUR - 1) });
    await tokens.init();
    const locksAfterInit = store.locks;
    await tokens.refreshIfDue();
    expect(store.locks).toBe(locksAfterInit);
  });
});
