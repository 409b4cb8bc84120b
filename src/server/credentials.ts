// Chooses how the service authenticates to Plum: managed tokens (refresh credentials configured, or the
// built-in simulator's), or a static access token when no refresh credentials are given (development only).
import type { Logger } from "pino";
import { deriveTokenUrl, type Config } from "../config/config.js";
import { TokenManager, type CredentialsState } from "../plum/tokenManager.js";
import { StaticTokenSource, type AccessTokenSource } from "../plum/tokens.js";
import { PLUM_TOKEN_REFRESH_PATH, PLUM_TOKEN_VALIDATE_PATH } from "../plum/wire.js";
import type { AttemptLog } from "../plum/attemptLog.js";
import type { TokenStore } from "../plum/tokenStore.js";
import type { BuiltInPlum } from "./composition/builtInPlum.js";

export interface PlumCredentials extends AccessTokenSource {
  state(): CredentialsState;
  expiresAt(): Date | null;
  refreshExpiresAt(): Date | null;
  start(): void;
  stop(): void;
}

export async function createCredentials(deps: {
  config: Config;
  /** Where the pair lives, and the log its exchanges are written to (the ledger). */
  ledger: TokenStore & Pick<AttemptLog, "appendAttempt">;
  simulator: BuiltInPlum | null;
  log: Logger;
  onRefresh?: (result: "success" | "failure") => void;
}): Promise<PlumCredentials> {
  const { config, ledger, simulator, log } = deps;
  const onRefresh = deps.onRefresh === undefined ? {} : { onRefresh: deps.onRefresh };
  const plum = config.plum;
  const timeoutMs = plum.connectTimeoutMs + plum.headersTimeoutMs;
  const record = (entry: Parameters<AttemptLog["appendAttempt"]>[0]) => ledger.appendAttempt(entry);

  if (simulator !== null) {
    const manager = new TokenManager({
      store: ledger,
      log,
      record,
      timeoutMs,
      ...onRefresh,
      refreshUrl: `${simulator.baseUrl}${PLUM_TOKEN_REFRESH_PATH}`,
      validateUrl: `${simulator.baseUrl}${PLUM_TOKEN_VALIDATE_PATH}`,
      ...simulator.client,
      // A fresh simulator issues fresh tokens: whatever an earlier run stored is void.
      seed: simulator.tokens,
      refreshBeforeExpiryMs: plum.refreshBeforeExpiryMs,
    });
    await ledger.withTokenLock(async () => ({
      store: { ...simulator.tokens, accessTokenExpiresAt: null, refreshTokenExpiresAt: null, updatedAt: new Date() },
      result: undefined,
    }));
    await manager.init();
    return manager;
  }

  if (plum.refreshToken && plum.clientId && plum.clientSecret && plum.apiUrl) {
    const manager = new TokenManager({
      store: ledger,
      log,
      record,
      timeoutMs,
      ...onRefresh,
      // config.ts derives the refresh URL from the API URL unless XOXODAY_TOKEN_URL overrides it.
      refreshUrl: plum.tokenUrl ?? deriveTokenUrl(plum.apiUrl),
      validateUrl: plum.apiUrl.replace(/\/api\/?$/, "/token"),
      clientId: plum.clientId,
      clientSecret: plum.clientSecret,
      seed: { accessToken: plum.accessToken ?? "", refreshToken: plum.refreshToken },
      refreshBeforeExpiryMs: plum.refreshBeforeExpiryMs,
    });
    await manager.init();
    return manager;
  }

  log.warn(
    "No XOXODAY_REFRESH_TOKEN/CLIENT_ID/CLIENT_SECRET: the access token is used as is and will not be refreshed.",
  );
  const source = new StaticTokenSource(plum.accessToken ?? "");
  return {
    current: () => source.current(),
    renew: () => source.renew(),
    state: () => "unknown",
    expiresAt: () => null,
    refreshExpiresAt: () => null,
    start: () => {},
    stop: () => {},
  };
}
