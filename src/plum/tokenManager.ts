// Keeps Plum's access token alive on its own (docs/plum-api.md §3). Every refresh rotates the refresh token, so the
// pair lives in the ledger's database (every replica uses the newest) and refreshes are single-flight across
// replicas (the ledger's token lock). Proactive before expiry; reactive when Plum answers invalid_token.
import type { Logger } from "pino";
import { request } from "undici";
import type { AttemptEntry } from "./exchange.js";
import type { StoredTokens, TokenStore } from "./tokenStore.js";
import { errorCodeOf } from "./classify.js";
import { toNumber } from "./lenient.js";
import type { AccessTokenSource } from "./tokens.js";
import type { PlumRefreshRequest, PlumRefreshResponse } from "./wire.js";

export interface TokenManagerOptions {
  store: TokenStore;
  log: Logger;
  refreshUrl: string;
  /** Validation endpoint (GET with Bearer) to learn an unknown expiry; optional. */
  validateUrl?: string;
  clientId: string;
  clientSecret: string;
  /** The pair from the environment: stored when the ledger has none (or only a dead one). */
  seed: { accessToken: string; refreshToken: string };
  refreshBeforeExpiryMs: number;
  timeoutMs: number;
  record: (entry: AttemptEntry) => Promise<void>;
  /** How long an in-memory copy is trusted before re-reading the ledger (another replica may have rotated). */
  cacheMs?: number;
  clock?: () => Date;
  /** Every refresh call's result (the `orders_plum_token_refreshes_total` metric). */
  onRefresh?: (result: "success" | "failure") => void;
}

export type CredentialsState = "valid" | "expired" | "unknown";

/** `response`: the exchange's answer row, committed with the rotated pair (never before it). */
type RefreshOutcome = ({ ok: true; tokens: StoredTokens } | { ok: false; reason: string }) & { response: AttemptEntry };

export class TokenManager implements AccessTokenSource {
  private cached: StoredTokens | null = null;
  private cachedAt = 0;
  private inFlight: Promise<string | null> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly clock: () => Date;

  constructor(private readonly options: TokenManagerOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  /** Stores the environment's pair when the ledger has none usable, and learns its expiry if unknown. */
  async init(): Promise<void> {
    const { seed } = this.options;
    const now = this.clock();
    await this.options.store.withTokenLock(async (stored) => {
      const deadStored = stored?.refreshTokenExpiresAt != null && stored.refreshTokenExpiresAt <= now;
      // A new pair in the environment (generated in Plum's dashboard) replaces a dead one.
      const store =
        stored === null || (deadStored && stored.refreshToken !== seed.refreshToken)
          ? {
              accessToken: seed.accessToken,
              refreshToken: seed.refreshToken,
              accessTokenExpiresAt: null,
              refreshTokenExpiresAt: null,
              updatedAt: now,
            }
          : null;
      return { store, result: undefined };
    });
    const tokens = await this.reload();
    if (tokens?.accessTokenExpiresAt === null && this.options.validateUrl) await this.learnExpiry(tokens);
  }

  async current(): Promise<string> {
    const tokens = await this.tokens();
    if (tokens === null) throw new Error("no Plum access token is stored");
    return tokens.accessToken;
  }

  /** Plum rejected `rejected`: refresh (once, across replicas) unless someone already has. */
  renew(rejected: string): Promise<string | null> {
    this.inFlight ??= this.refreshUnderLock((stored) => stored.accessToken === rejected).finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  state(): CredentialsState {
    const expiresAt = this.expiresAt();
    if (expiresAt === null) return "unknown";
    return expiresAt > this.clock() ? "valid" : "expired";
  }

  expiresAt(): Date | null {
    return this.cached?.accessTokenExpiresAt ?? null;
  }

  /** When the stored refresh token expires, as Plum said (null: unknown). */
  refreshExpiresAt(): Date | null {
    return this.cached?.refreshTokenExpiresAt ?? null;
  }

  /** Proactive refresh: checks every minute whether the token is within `refreshBeforeExpiryMs` of expiry. */
  start(intervalMs = 60_000): void {
    this.timer = setInterval(() => void this.refreshIfDue(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async refreshIfDue(): Promise<void> {
    const due = (t: StoredTokens) =>
      t.accessTokenExpiresAt !== null &&
      t.accessTokenExpiresAt.getTime() - this.clock().getTime() <= this.options.refreshBeforeExpiryMs;
    const tokens = await this.reload();
    if (tokens !== null && due(tokens)) {
      this.inFlight ??= this.refreshUnderLock(due).finally(() => {
        this.inFlight = null;
      });
      await this.inFlight;
    }
  }

  private async tokens(): Promise<StoredTokens | null> {
    if (this.cached !== null && Date.now() - this.cachedAt < (this.options.cacheMs ?? 30_000)) return this.cached;
    return this.reload();
  }

  private async reload(): Promise<StoredTokens | null> {
    this.cached = await this.options.store.getTokens();
    this.cachedAt = Date.now();
    return this.cached;
  }

  /** Under the lock, re-check with the stored pair (another replica may have refreshed) before calling Plum. */
  private async refreshUnderLock(stillNeeded: (stored: StoredTokens) => boolean): Promise<string | null> {
    const token = await this.options.store.withTokenLock(async (stored) => {
      if (stored === null) return { store: null, result: null };
      if (!stillNeeded(stored) || stored.refreshToken === null) return { store: null, result: stored.accessToken };
      const outcome = await this.callRefresh(stored.refreshToken);
      const attempts = [outcome.response];
      this.options.onRefresh?.(outcome.ok ? "success" : "failure");
      if (!outcome.ok) {
        // Keep the old pair: it may still work, and a refresh token cannot be recovered by API.
        this.options.log.error(
          { alert: "plum_token_refresh_failed", reason: outcome.reason },
          "Plum token refresh failed; the old tokens stay in place. If it keeps failing, generate new tokens in Plum's dashboard.",
        );
        return { store: null, result: null, attempts };
      }
      this.options.log.info({ expiresAt: outcome.tokens.accessTokenExpiresAt }, "Plum access token refreshed");
      return { store: outcome.tokens, result: outcome.tokens.accessToken, attempts };
    });
    await this.reload();
    return token;
  }

  private async callRefresh(refreshToken: string): Promise<RefreshOutcome> {
    const body: PlumRefreshRequest = {
      grant_type: "refresh_token",
      refresh_token: refreshToken,
      client_id: this.options.clientId,
      client_secret: this.options.clientSecret,
    };
    const redacted = JSON.stringify({ ...body, refresh_token: "[redacted]", client_secret: "[redacted]" });
    const base = { poNumber: null, operation: "tokenRefresh" as const, errorCode: null };
    await this.options.record({
      ...base,
      phase: "request",
      body: redacted,
      httpStatus: null,
      durationMs: null,
      at: new Date(),
    });
    const started = performance.now();
    try {
      const response = await request(this.options.refreshUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const text = await response.body.text();
      const durationMs = Math.round(performance.now() - started);
      const answer: AttemptEntry = {
        ...base,
        phase: "response",
        // Never store tokens: only whether they came.
        body:
          response.statusCode === 200
            ? '{"access_token":"[redacted]","refresh_token":"[redacted]"}'
            : text.slice(0, 2_000),
        httpStatus: response.statusCode,
        durationMs,
        at: new Date(),
      };
      if (response.statusCode !== 200) return { ok: false, reason: `HTTP ${response.statusCode}`, response: answer };
      return { ...this.parseRefresh(text), response: answer };
    } catch (error) {
      const code = errorCodeOf(error);
      const answer: AttemptEntry = {
        ...base,
        phase: "response",
        body: null,
        httpStatus: null,
        errorCode: code,
        durationMs: null,
        at: new Date(),
      };
      return { ok: false, reason: code, response: answer };
    }
  }

  private parseRefresh(text: string): { ok: true; tokens: StoredTokens } | { ok: false; reason: string } {
    let parsed: Partial<PlumRefreshResponse>;
    try {
      parsed = JSON.parse(text) as Partial<PlumRefreshResponse>;
    } catch {
      return { ok: false, reason: "unreadable refresh response" };
    }
    if (typeof parsed.access_token !== "string" || typeof parsed.refresh_token !== "string") {
      return { ok: false, reason: "refresh response without tokens" };
    }
    const now = this.clock();
    const expiresIn = toNumber(parsed.expires_in);
    const accessExpiry = toNumber(parsed.access_token_expiry);
    const refreshExpiry = toNumber(parsed.refresh_token_expiry);
    return {
      ok: true,
      tokens: {
        accessToken: parsed.access_token,
        refreshToken: parsed.refresh_token,
        // access_token_expiry is epoch ms; expires_in is seconds (either may be a string).
        accessTokenExpiresAt:
          accessExpiry !== null
            ? new Date(accessExpiry)
            : expiresIn !== null
              ? new Date(now.getTime() + expiresIn * 1000)
              : null,
        refreshTokenExpiresAt: refreshExpiry !== null ? new Date(refreshExpiry) : null,
        updatedAt: now,
      },
    };
  }

  /** GET …/oauth/token answers the seconds left on a token (docs/plum-api.md §3.4). */
  private async learnExpiry(tokens: StoredTokens): Promise<void> {
    // Logged like every other exchange (the bearer token never is).
    const base = { poNumber: null, operation: "tokenValidate" as const, body: null };
    await this.options.record({
      ...base,
      phase: "request",
      httpStatus: null,
      errorCode: null,
      durationMs: null,
      at: new Date(),
    });
    const started = performance.now();
    try {
      const response = await request(this.options.validateUrl as string, {
        method: "GET",
        headers: { authorization: `Bearer ${tokens.accessToken}` },
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
      });
      const parsed = (await response.body.json().catch(() => ({}))) as { expires_in?: number | string };
      const answer: AttemptEntry = {
        ...base,
        phase: "response",
        httpStatus: response.statusCode,
        errorCode: null,
        durationMs: Math.round(performance.now() - started),
        at: new Date(),
      };
      const seconds = response.statusCode === 200 ? toNumber(parsed.expires_in) : null;
      const accessTokenExpiresAt = seconds === null ? null : new Date(this.clock().getTime() + seconds * 1000);
      await this.options.store.withTokenLock(async (stored) => ({
        store:
          accessTokenExpiresAt !== null && stored && stored.accessToken === tokens.accessToken
            ? { ...stored, accessTokenExpiresAt }
            : null,
        result: undefined,
        attempts: [answer],
      }));
      await this.reload();
    } catch (error) {
      const code = errorCodeOf(error);
      await this.options
        .record({ ...base, phase: "response", httpStatus: null, errorCode: code, durationMs: null, at: new Date() })
        .catch(() => undefined);
      this.options.log.warn({ err: error }, "could not learn the Plum access token's expiry");
    }
  }
}
