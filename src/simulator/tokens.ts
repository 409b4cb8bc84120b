// Access/refresh tokens (docs/plum-api.md §3): each refresh rotates both, the old refresh token dies at once, and
// the old access token keeps working until its own expiry unless configured otherwise.
import { randomBytes } from "node:crypto";
import type { PlumRefreshResponse } from "../plum/wire.js";
import { isRecord } from "./loose.js";
import { jsonReply, oauthError, type SimReply } from "./responses.js";

const REFRESH_TOKEN_TTL_MS = 30 * 24 * 3600 * 1000;
const BEARER = /^Bearer\s+(\S+)\s*$/i;

interface IssuedToken {
  readonly token: string;
  readonly expiresAt: number;
}

export interface TokenOptions {
  accessToken: string;
  refreshToken: string;
  clientId: string;
  clientSecret: string;
  accessTokenTtlSeconds: number;
  invalidateOldAccessTokenOnRefresh: boolean;
}

export type AuthResult =
  { readonly ok: true; readonly expiresInSeconds: number } | { readonly ok: false; readonly reply: SimReply };

function newToken(kind: string): string {
  return `sim-${kind}-${randomBytes(16).toString("hex")}`;
}

export class TokenStore {
  private access: IssuedToken;
  private previousAccess: IssuedToken | null = null;
  private refresh: IssuedToken;

  constructor(private readonly options: TokenOptions) {
    const now = Date.now();
    this.access = { token: options.accessToken, expiresAt: now + options.accessTokenTtlSeconds * 1000 };
    this.refresh = { token: options.refreshToken, expiresAt: now + REFRESH_TOKEN_TTL_MS };
  }

  get pair(): { accessToken: string; refreshToken: string } {
    return { accessToken: this.access.token, refreshToken: this.refresh.token };
  }

  /** Checks an `Authorization` header value. */
  authenticate(header: string | undefined, now = Date.now()): AuthResult {
    const token = header === undefined ? undefined : BEARER.exec(header)?.[1];
    if (token === undefined) {
      return {
        ok: false,
        reply: oauthError(401, "invalid_request", "missing/invalid parameters authorization header"),
      };
    }
    const issued =
      token === this.access.token
        ? this.access
        : token === this.previousAccess?.token
          ? this.previousAccess
          : undefined;
    if (issued === undefined || issued.expiresAt <= now) {
      return { ok: false, reply: oauthError(401, "invalid_token", "invalid/expired token") };
    }
    return { ok: true, expiresInSeconds: Math.floor((issued.expiresAt - now) / 1000) };
  }

  /** The current (and any previous) access token stops working until the next refresh. */
  expireAccessToken(): void {
    const now = Date.now();
    this.access = { token: this.access.token, expiresAt: now };
    this.previousAccess = null;
  }

  /** Handles a `POST /token/user` body. */
  refreshTokens(body: unknown, now = Date.now()): SimReply {
    if (!isRecord(body)) return oauthError(400, "invalid_request", "request body must be a JSON object");
    if (body["grant_type"] !== "refresh_token")
      return oauthError(400, "unsupported_grant_type", "grant_type must be refresh_token");
    const { refresh_token: refreshToken, client_id: clientId, client_secret: clientSecret } = body;
    if (typeof refreshToken !== "string" || typeof clientId !== "string" || typeof clientSecret !== "string") {
      return oauthError(400, "invalid_request", "refresh_token, client_id and client_secret are required");
    }
    if (clientId !== this.options.clientId || clientSecret !== this.options.clientSecret) {
      return oauthError(401, "invalid_grant", "invalid client credentials");
    }
    if (refreshToken !== this.refresh.token || this.refresh.expiresAt <= now) {
      return oauthError(401, "invalid_grant", "invalid/expired refresh token");
    }
    this.previousAccess = this.options.invalidateOldAccessTokenOnRefresh ? null : this.access;
    this.access = { token: newToken("access"), expiresAt: now + this.options.accessTokenTtlSeconds * 1000 };
    this.refresh = { token: newToken("refresh"), expiresAt: now + REFRESH_TOKEN_TTL_MS };
    const response: PlumRefreshResponse = {
      access_token: this.access.token,
      token_type: "bearer",
      expires_in: this.options.accessTokenTtlSeconds,
      refresh_token: this.refresh.token,
      access_token_expiry: String(this.access.expiresAt),
      refresh_token_expiry: String(this.refresh.expiresAt),
    };
    return jsonReply(200, response);
  }

  /** `GET /token`: the token's remaining life. */
  validate(header: string | undefined): SimReply {
    const auth = this.authenticate(header);
    if (!auth.ok) return auth.reply;
    const token = BEARER.exec(header ?? "")?.[1] ?? "";
    return jsonReply(200, { access_token: token, token_type: "bearer", expires_in: auth.expiresInSeconds });
  }
}
