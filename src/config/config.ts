// The service's configuration: the validated environment shaped into sections, plus the cross-variable rules
// (what production requires, what development may default).
import type { PlumOperationName } from "../plum/wire.js";
import { ConfigError, parseEnv, type RawEnv } from "./env.js";

/** 0 in the environment: not limited here. */
const limitOrNull = (value: number): number | null => (value === 0 ? null : value);

export interface PlumConfig {
  /** undefined: use the built-in simulator (never in production). */
  apiUrl: string | undefined;
  tokenUrl: string | undefined;
  accessToken: string | undefined;
  refreshToken: string | undefined;
  clientId: string | undefined;
  clientSecret: string | undefined;
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  maxConnections: number;
  refreshBeforeExpiryMs: number;
  webhookKey: string | undefined;
  webhookMaxFutureMs: number;
  webhookUnmatchedTtlMs: number;
}

export interface AuthConfig {
  routerSecret: string | undefined;
  jwksUrl: string | undefined;
  jwtSecret: string | undefined;
  issuer: string | undefined;
  audience: string | undefined;
  algorithms: string[];
  /** AUTH_JWT_TYP: the `typ` header every token must carry; undefined: not checked. */
  tokenType: string | undefined;
  /** AUTH_MAX_TOKEN_AGE_SECONDS: tokens issued (iat) longer ago are refused; 0: no limit. */
  maxTokenAgeSeconds: number;
  /** false: no JWT configured (development only); every caller is treated as an admin. */
  enabled: boolean;
}

export interface HttpServerLimits {
  /** The request line and headers must arrive within this. */
  headersTimeoutMs: number;
  /** The whole request (headers and body) must arrive within this. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** Connections beyond this are refused (closed at once). */
  maxConnections: number;
}

export interface Config {
  env: RawEnv["NODE_ENV"];
  production: boolean;
  port: number;
  host: string;
  logLevel: RawEnv["LOG_LEVEL"];
  plum: PlumConfig;
  simulatorPort: number;
  /** SIMULATOR_STATE_FILE as given: a path, "off", or undefined (the default applies). */
  simulatorStateFile: string | undefined;
  database: { url: string | undefined; poolMax: number; groupCommit: { maxWaitMs: number; maxOperations: number } };
  reconcile: {
    settleMs: number;
    intervalMs: number;
    maxBackoffMs: number;
    maxSendAttempts: number;
    maxProcessingMs: number;
    lookupIntervalMs: number;
    leaseMs: number;
  };
  /** The scheduled comparison with Plum's order history. */
  reconciliation: {
    intervalMs: number;
    windowDays: number;
    historyPerMinute: number;
    pageSize: number;
    graceMs: number;
  };
  auth: AuthConfig;
  graphql: {
    introspection: boolean;
    sandbox: boolean;
    maxBodyBytes: number;
    maxDepth: number;
    maxComplexity: number;
    maxEntityRepresentations: number;
    /** MAX_QUERY_TOKENS: the parser refuses longer documents. */
    maxTokens: number;
  };
  shutdownGraceMs: number;
  http: HttpServerLimits;
  /** OPS_PORT/OPS_HOST: the ops listener; port undefined: /ready and /metrics stay on the public one. */
  ops: { port: number | undefined; host: string };
  /** Per-caller bucket (burst, refill per minute; 0: off) and the per-request cap on Plum calls. */
  upstream: { burst: number; perMinute: number; perRequest: number };
  /** The shared Plum budget, the placement queue and bulk placement (issue 16). */
  budget: {
    windowMs: number;
    marginMs: number;
    limits: Record<PlumOperationName, number | null>;
    reservedShare: number;
    lookupWaitMs: number;
    queueMax: number;
    dispatchIntervalMs: number;
    bulkMax: number;
  };
  /** PO_NUMBER_KEY; undefined: the built-in key. */
  poNumberKey: string | undefined;
  catalogue: {
    refreshIntervalMs: number;
    maxAgeMs: number;
    onDemandIntervalMs: number;
    callsPerMinute: number;
    dailyCallBudget: number;
    operatorCacheMs: number;
    balanceCacheMs: number;
    walletCurrency: string;
  };
}

/** The token endpoint sits beside the API endpoint: …/chef/v1/oauth/api → …/chef/v1/oauth/token/user. */
export function deriveTokenUrl(apiUrl: string): string {
  return apiUrl.replace(/\/api\/?$/, "/token/user");
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw = parseEnv(env);
  const production = raw.NODE_ENV === "production";
  const authEnabled = raw.AUTH_JWKS_URL !== undefined || raw.AUTH_JWT_SECRET !== undefined;
  const algorithms =
    raw.AUTH_ALGORITHMS?.split(",")
      .map((a) => a.trim())
      .filter(Boolean) ?? (raw.AUTH_JWKS_URL ? ["RS256", "ES256"] : ["HS256"]);

  const problems: string[] = [];
  const missing = (name: string, why: string) => problems.push(`${name}: required ${why}`);
  if (raw.XOXODAY_API_URL && !raw.XOXODAY_ACCESS_TOKEN && !raw.XOXODAY_REFRESH_TOKEN) {
    missing("XOXODAY_ACCESS_TOKEN", "when XOXODAY_API_URL is set (or XOXODAY_REFRESH_TOKEN with client credentials)");
  }
  if (raw.XOXODAY_REFRESH_TOKEN && (!raw.XOXODAY_CLIENT_ID || !raw.XOXODAY_CLIENT_SECRET)) {
    missing("XOXODAY_CLIENT_ID and XOXODAY_CLIENT_SECRET", "when XOXODAY_REFRESH_TOKEN is set");
  }
  if (raw.AUTH_JWKS_URL && raw.AUTH_JWT_SECRET) {
    problems.push("AUTH_JWKS_URL, AUTH_JWT_SECRET: set one, not both");
  }
  if (authEnabled && !raw.AUTH_ISSUER) missing("AUTH_ISSUER", "when JWT verification is on");
  if (authEnabled && !raw.AUTH_AUDIENCE) missing("AUTH_AUDIENCE", "when JWT verification is on");
  const budget = raw.XOXODAY_CONNECT_TIMEOUT_MS + raw.XOXODAY_HEADERS_TIMEOUT_MS + raw.XOXODAY_BODY_TIMEOUT_MS;
  if (budget >= 30_000) {
    problems.push(
      `XOXODAY_*_TIMEOUT_MS: connect + headers + body is ${budget} ms; keep it under the router's 30000 ms subgraph timeout`,
    );
  }
  if (raw.HTTP_HEADERS_TIMEOUT_MS > raw.HTTP_REQUEST_TIMEOUT_MS) {
    problems.push("HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS (node:http refuses it)");
  }
  if (production) {
    const inProduction = "in production";
    if (!raw.XOXODAY_API_URL) missing("XOXODAY_API_URL", `${inProduction} (the simulator is never used there)`);
    if (!raw.XOXODAY_ACCESS_TOKEN) missing("XOXODAY_ACCESS_TOKEN", inProduction);
    if (!raw.XOXODAY_REFRESH_TOKEN) missing("XOXODAY_REFRESH_TOKEN", `${inProduction} (tokens expire after 15 days)`);
    if (!raw.XOXODAY_CLIENT_ID) missing("XOXODAY_CLIENT_ID", inProduction);
    if (!raw.XOXODAY_CLIENT_SECRET) missing("XOXODAY_CLIENT_SECRET", inProduction);
    if (!raw.XOXODAY_WEBHOOK_KEY) missing("XOXODAY_WEBHOOK_KEY", `${inProduction} (authenticates Plum's callbacks)`);
    if (!authEnabled) {
      missing("AUTH_JWKS_URL or AUTH_JWT_SECRET", `${inProduction} (callers must be authenticated)`);
      // Listed now rather than on the next attempt, so every auth variable is fixed in one go.
      if (!raw.AUTH_ISSUER) missing("AUTH_ISSUER", inProduction);
      if (!raw.AUTH_AUDIENCE) missing("AUTH_AUDIENCE", inProduction);
    }
    if (!raw.ROUTER_SECRET) missing("ROUTER_SECRET", `${inProduction} (only the router may call the subgraph)`);
    if (!raw.DATABASE_URL || !/^postgres(ql)?:\/\//.test(raw.DATABASE_URL)) {
      missing("DATABASE_URL", `${inProduction} as a postgres:// URL (replicas share one ledger)`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    env: raw.NODE_ENV,
    production,
    port: raw.PORT,
    host: raw.HOST ?? (production ? "0.0.0.0" : "127.0.0.1"),
    logLevel: raw.LOG_LEVEL,
    plum: {
      apiUrl: raw.XOXODAY_API_URL,
      tokenUrl: raw.XOXODAY_TOKEN_URL ?? (raw.XOXODAY_API_URL ? deriveTokenUrl(raw.XOXODAY_API_URL) : undefined),
      accessToken: raw.XOXODAY_ACCESS_TOKEN,
      refreshToken: raw.XOXODAY_REFRESH_TOKEN,
      clientId: raw.XOXODAY_CLIENT_ID,
      clientSecret: raw.XOXODAY_CLIENT_SECRET,
      connectTimeoutMs: raw.XOXODAY_CONNECT_TIMEOUT_MS,
      headersTimeoutMs: raw.XOXODAY_HEADERS_TIMEOUT_MS,
      bodyTimeoutMs: raw.XOXODAY_BODY_TIMEOUT_MS,
      maxConnections: raw.XOXODAY_MAX_CONNECTIONS,
      refreshBeforeExpiryMs: raw.XOXODAY_REFRESH_BEFORE_EXPIRY_MS,
      webhookKey: raw.XOXODAY_WEBHOOK_KEY,
      webhookMaxFutureMs: raw.WEBHOOK_MAX_FUTURE_MS,
      webhookUnmatchedTtlMs: raw.WEBHOOK_UNMATCHED_TTL_MS,
    },
    simulatorPort: raw.SIMULATOR_PORT,
    simulatorStateFile: raw.SIMULATOR_STATE_FILE,
    database: {
      url: raw.DATABASE_URL,
      poolMax: raw.DATABASE_POOL_MAX,
      groupCommit: {
        maxWaitMs: raw.LEDGER_GROUP_COMMIT_MAX_WAIT_MS,
        maxOperations: raw.LEDGER_GROUP_COMMIT_MAX_OPERATIONS,
      },
    },
    reconcile: {
      settleMs: raw.RECONCILE_SETTLE_MS,
      intervalMs: raw.RECONCILE_INTERVAL_MS,
      maxBackoffMs: raw.RECONCILE_MAX_BACKOFF_MS,
      maxSendAttempts: raw.MAX_SEND_ATTEMPTS,
      maxProcessingMs: raw.XOXODAY_MAX_PROCESSING_MS,
      lookupIntervalMs: raw.RECONCILE_LOOKUP_INTERVAL_MS ?? raw.RECONCILE_INTERVAL_MS,
      leaseMs: raw.PLACEMENT_LEASE_MS,
    },
    reconciliation: {
      intervalMs: raw.RECONCILIATION_INTERVAL_MS,
      windowDays: raw.RECONCILIATION_WINDOW_DAYS,
      historyPerMinute: raw.RECONCILIATION_HISTORY_PER_MINUTE,
      pageSize: raw.RECONCILIATION_PAGE_SIZE,
      graceMs: raw.RECONCILIATION_GRACE_MS,
    },
    auth: {
      routerSecret: raw.ROUTER_SECRET,
      jwksUrl: raw.AUTH_JWKS_URL,
      jwtSecret: raw.AUTH_JWT_SECRET,
      issuer: raw.AUTH_ISSUER,
      audience: raw.AUTH_AUDIENCE,
      algorithms,
      tokenType: raw.AUTH_JWT_TYP,
      maxTokenAgeSeconds: raw.AUTH_MAX_TOKEN_AGE_SECONDS,
      enabled: authEnabled,
    },
    graphql: {
      introspection: raw.ENABLE_INTROSPECTION ?? !production,
      sandbox: raw.ENABLE_SANDBOX ?? !production,
      maxBodyBytes: raw.MAX_BODY_BYTES,
      maxDepth: raw.MAX_QUERY_DEPTH,
      maxComplexity: raw.MAX_QUERY_COMPLEXITY,
      maxEntityRepresentations: raw.MAX_ENTITY_REPRESENTATIONS,
      maxTokens: raw.MAX_QUERY_TOKENS,
    },
    shutdownGraceMs: raw.SHUTDOWN_GRACE_MS,
    budget: {
      windowMs: raw.PLUM_BUDGET_WINDOW_MS,
      marginMs: raw.PLUM_BUDGET_MARGIN_MS,
      limits: {
        placeOrder: limitOrNull(raw.PLUM_BUDGET_PLACE_ORDER),
        getOrderDetails: limitOrNull(raw.PLUM_BUDGET_GET_ORDER_DETAILS),
        getOrderHistory: limitOrNull(raw.PLUM_BUDGET_GET_ORDER_HISTORY),
        getVouchers: limitOrNull(raw.PLUM_BUDGET_GET_VOUCHERS),
        getBalance: limitOrNull(raw.PLUM_BUDGET_GET_BALANCE),
        lookupMobileNumber: limitOrNull(raw.PLUM_BUDGET_LOOKUP_MOBILE_NUMBER),
      },
      reservedShare: raw.PLUM_BUDGET_RESERVED_SHARE,
      lookupWaitMs: raw.PLUM_BUDGET_LOOKUP_WAIT_MS,
      queueMax: raw.PLACEMENT_QUEUE_MAX,
      dispatchIntervalMs: raw.PLACEMENT_DISPATCH_INTERVAL_MS,
      bulkMax: raw.BULK_PLACEMENT_MAX,
    },
    upstream: {
      burst: raw.CALLER_RATE_LIMIT_BURST,
      perMinute: raw.CALLER_RATE_LIMIT_PER_MINUTE,
      perRequest: raw.MAX_UPSTREAM_CALLS_PER_REQUEST,
    },
    // Probes and scrapers reach pods on their address: the public HOST unless told otherwise.
    ops: { port: raw.OPS_PORT, host: raw.OPS_HOST ?? raw.HOST ?? (production ? "0.0.0.0" : "127.0.0.1") },
    http: {
      headersTimeoutMs: raw.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: raw.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: raw.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      maxConnections: raw.HTTP_MAX_CONNECTIONS,
    },
    poNumberKey: raw.PO_NUMBER_KEY,
    catalogue: {
      refreshIntervalMs: raw.CATALOGUE_REFRESH_INTERVAL_MS,
      maxAgeMs: raw.CATALOGUE_MAX_AGE_MS,
      onDemandIntervalMs: raw.CATALOGUE_ON_DEMAND_INTERVAL_MS,
      callsPerMinute: raw.CATALOGUE_CALLS_PER_MINUTE,
      dailyCallBudget: raw.CATALOGUE_DAILY_CALL_BUDGET,
      operatorCacheMs: raw.OPERATOR_LOOKUP_CACHE_MS,
      balanceCacheMs: raw.BALANCE_CACHE_MS,
      walletCurrency: raw.XOXODAY_WALLET_CURRENCY,
    },
  };
}
