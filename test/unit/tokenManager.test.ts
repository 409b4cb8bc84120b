// TokenManager on its ports: the TokenStore port as an in-memory double, Plum's token
// endpoint as undici's MockAgent (no socket). Covers which token is used, when a refresh happens, that the rotated
// pair is stored under the lock with its exchange, and that a failed refresh keeps the old pair.
import pino from "pino";
import { getGlobalDispatcher, MockAgent, setGlobalDispatcher, type Dispatcher } from "undici";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { TokenManager, type TokenManagerOptions } from "../../src/plum/tokenManager.js";
import type { AttemptEntry } from "../../src/plum/exchange.js";
import type { StoredTokens, TokenLockOutcome, TokenStore } from "../../src/plum/tokenStore.js";
import { LogCapture } from "../support/logs.js";

const PLUM = "http://plum.test";
const NOW = new Date("2026-12-01T12:00:00Z");
const HOUR = 3_600_000;
const SEED = { accessToken: "seed-access", refreshToken: "seed-refresh" };

/** An in-memory token store with one lock; records what each locked section stored and logged. */
class MemoryTokenStore implements TokenStore {
  locks = 0;
  readonly committed: { store: StoredTokens | null; attempts: AttemptEntry[] }[] = [];
  private queue: Promise<unknown> = Promise.resolve();

  constructor(public tokens: StoredTokens | null) {}

  getTokens(): Promise<StoredTokens | null> {
    return Promise.resolve(this.tokens && { ...this.tokens });
  }

  withTokenLock<T>(fn: (current: StoredTokens | null) => Promise<TokenLockOutcome<T>>): Promise<T> {
    const run = this.queue.then(async () => {
      this.locks += 1;
      const outcome = await fn(this.tokens && { ...this.tokens });
      if (outcome.store !== null) this.tokens = { ...outcome.store };
      this.committed.push({ store: outcome.store, attempts: outcome.attempts ?? [] });
      return outcome.result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function pair(
  accessToken: string,
  refreshToken: string | null,
  accessTokenExpiresAt: Date | null,
  refreshTokenExpiresAt: Date | null = null,
): StoredTokens {
  return {
    accessToken,
    refreshToken,
    accessTokenExpiresAt,
    refreshTokenExpiresAt,
    updatedAt: new Date(NOW.getTime() - HOUR),
  };
}

let agent: MockAgent;
let previous: Dispatcher;

beforeEach(() => {
  previous = getGlobalDispatcher();
  agent = new MockAgent();
  agent.disableNetConnect();
  setGlobalDispatcher(agent);
});

afterEach(async () => {
  setGlobalDispatcher(previous);
  await agent.close();
});

function plumRefresh() {
  return agent.get(PLUM).intercept({ path: "/oauth/token", method: "POST" });
}

function manager(store: TokenStore, overrides: Partial<TokenManagerOptions> = {}) {
  const logs = new LogCapture();
  const record = vi.fn<(entry: AttemptEntry) => Promise<void>>().mockResolvedValue(undefined);
  const onRefresh = vi.fn<(result: "success" | "failure") => void>();
  const tokens = new TokenManager({
    store,
    log: pino({ level: "info" }, logs),
    refreshUrl: `${PLUM}/oauth/token`,
    clientId: "client-id",
    clientSecret: "client-secret",
    seed: SEED,
    refreshBeforeExpiryMs: 5 * 60_000,
    timeoutMs: 1_000,
    record,
    clock: () => NOW,
    onRefresh,
    ...overrides,
  });
  return { tokens, logs, record, onRefresh };
}

describe("TokenManager: which token it uses", () => {
  it("stores the environment's pair when the store is empty, and uses it", async () => {
    const store = new MemoryTokenStore(null);
    const { tokens } = manager(store);
    await tokens.init();
    expect(store.tokens).toMatchObject({
      accessToken: "seed-access",
      refreshToken: "seed-refresh",
      accessTokenExpiresAt: null,
    });
    expect(await tokens.current()).toBe("seed-access");
    expect(tokens.state()).toBe("unknown");
  });

  it("uses the stored pair over the environment's (another replica rotated it), without calling Plum", async () => {
    const store = new MemoryTokenStore(pair("stored-access", "stored-refresh", new Date(NOW.getTime() + HOUR)));
    const { tokens } = manager(store);
    await tokens.init();
    expect(await tokens.current()).toBe("stored-access");
    expect(store.tokens?.refreshToken).toBe("stored-refresh");
    expect(tokens.state()).toBe("valid");
    agent.assertNoPendingInterceptors();
  });

  it("replaces a stored pair whose refresh token is dead with a new pair from the environment, and keeps it when the environment has the same", async () => {
    const dead = pair("old-access", "old-refresh", new Date(NOW.getTime() - HOUR), new Date(NOW.getTime() - 1));
    const replaced = new MemoryTokenStore(dead);
    await manager(replaced).tokens.init();
    expect(replaced.tokens?.accessToken).toBe("seed-access");

    const kept = new MemoryTokenStore(dead);
    await manager(kept, { seed: { accessToken: "seed-access", refreshToken: "old-refresh" } }).tokens.init();
    expect(kept.tokens?.accessToken).toBe("old-access");
  });

  it("refuses to answer without any stored token", async () => {
    const { tokens } = manager(new MemoryTokenStore(null));
    await expect(tokens.current()).rejects.toThrow("no Plum access token is stored");
  });
});

describe("TokenManager: refreshing", () => {
  it("refreshes a token within the margin of expiry, and stores the rotated pair with its exchange under the lock", async () => {
    const store = new MemoryTokenStore(pair("old-access", "old-refresh", new Date(NOW.getTime() + 60_000)));
    const { tokens, record, onRefresh } = manager(store);
    let sent: unknown;
    plumRefresh().reply(200, (options) => {
      sent = JSON.parse(String(options.body));
      return { access_token: "new-access", refresh_token: "new-refresh", expires_in: 3600 };
    });

    await tokens.refreshIfDue();

    expect(sent).toEqual({
      grant_type: "refresh_token",
      refresh_token: "old-refresh",
      client_id: "client-id",
      client_secret: "client-secret",
    });
    expect(store.tokens).toMatchObject({
      accessToken: "new-access",
      refreshToken: "new-refresh",
      accessTokenExpiresAt: new Date(NOW.getTime() + HOUR),
    });
    // One commit holds the rotated pair and Plum's answer; the request went on record before the call.
    const rotation = store.committed.at(-1);
    expect(rotation?.store?.accessToken).toBe("new-access");
    expect(rotation?.attempts).toMatchObject([{ operation: "tokenRefresh", phase: "response", httpStatus: 200 }]);
    expect(record).toHaveBeenCalledWith(expect.objectContaining({ operation: "tokenRefresh", phase: "request" }));
    // Neither the tokens nor the secret are on record.
    const written = JSON.stringify([record.mock.calls, rotation?.attempts]);
    for (const secret of ["old-refresh", "new-access", "new-refresh", "client-secret"])
      expect(written).not.toContain(secret);
    expect(onRefresh).toHaveBeenCalledWith("success");
    expect(await tokens.current()).toBe("new-access");
  });

  it("does not call Plum while the token is good for longer than the margin", async () => {
    const store = new MemoryTokenStore(pair("access", "refresh", new Date(NOW.getTime() + HOUR)));
    const { tokens, onRefresh } = manager(store);
    await tokens.refreshIfDue();
    expect(store.tokens?.accessToken).toBe("access");
    expect(onRefresh).not.toHaveBeenCalled();
  });

  it("renews a token Plum rejected, once for concurrent callers", async () => {
    const store = new MemoryTokenStore(pair("rejected-access", "refresh", null));
    const { tokens } = manager(store);
    plumRefresh().reply(200, {
      access_token: "fresh-access",
      refresh_token: "fresh-refresh",
      access_token_expiry: NOW.getTime() + HOUR,
    });

    const answers = await Promise.all([tokens.renew("rejected-access"), tokens.renew("rejected-access")]);

    expect(answers).toEqual(["fresh-access", "fresh-access"]);
    expect(store.committed.filter((c) => c.store !== null)).toHaveLength(1);
    expect(tokens.expiresAt()).toEqual(new Date(NOW.getTime() + HOUR));
  });

  it("does not refresh when another replica already replaced the rejected token: answers the stored one", async () => {
    const store = new MemoryTokenStore(pair("rotated-elsewhere", "refresh", null));
    const { tokens, onRefresh } = manager(store);
    expect(await tokens.renew("rejected-access")).toBe("rotated-elsewhere");
    expect(onRefresh).not.toHaveBeenCalled();
    expect(store.committed).toEqual([{ store: null, attempts: [] }]);
  });
});

describe("TokenManager: a failed refresh keeps the old pair", () => {
  const cases: [string, (scope: ReturnType<typeof plumRefresh>) => void][] = [
    ["an HTTP error", (scope) => scope.reply(400, { error: "invalid_grant" })],
    ["an unreadable answer", (scope) => scope.reply(200, "<html>gateway</html>")],
    ["an answer without tokens", (scope) => scope.reply(200, { access_token: "only-one" })],
    ["no answer (connection error)", (scope) => scope.replyWithError(new Error("socket hang up"))],
  ];

  it.each(cases)(
    "%s: null to the caller, the stored pair untouched, the failure counted and alerted",
    async (_label, answer) => {
      const old = pair("old-access", "old-refresh", null);
      const store = new MemoryTokenStore(old);
      const { tokens, onRefresh, logs } = manager(store);
      answer(plumRefresh());

      expect(await tokens.renew("old-access")).toBeNull();

      expect(store.tokens).toEqual(old);
      // The exchange is still on record, without anything stored.
      expect(store.committed).toMatchObject([
        { store: null, attempts: [{ operation: "tokenRefresh", phase: "response" }] },
      ]);
      expect(onRefresh).toHaveBeenCalledWith("failure");
      expect(logs.records().some((r) => r["alert"] === "plum_token_refresh_failed")).toBe(true);
      expect(await tokens.current()).toBe("old-access");
    },
  );
});
