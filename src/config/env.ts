// Configuration from the environment, validated once at start-up with zod. Each bad variable gets its own line in
// the error so an operator can fix them all in one go.
import { z } from "zod";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");
const ms = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

const plumUrl = z
  .string()
  .url()
  .refine((v) => /^https?:\/\//.test(v), "must be an http(s) URL")
  // The playground shows `/api/placeOrder`; the real endpoint is `/api` (docs/plum-api.md §1).
  .refine((v) => !/\/placeOrder\/?$/.test(v), "must be the endpoint itself (…/chef/v1/oauth/api), without /placeOrder");

const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(4001),
  HOST: optionalString,
  // /ready and /metrics on their own (internal) listener instead of the public one.
  OPS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  OPS_HOST: optionalString,
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),

  XOXODAY_API_URL: optionalString.pipe(plumUrl.optional()),
  XOXODAY_TOKEN_URL: optionalString.pipe(plumUrl.optional()),
  XOXODAY_ACCESS_TOKEN: optionalString,
  XOXODAY_REFRESH_TOKEN: optionalString,
  XOXODAY_CLIENT_ID: optionalString,
  XOXODAY_CLIENT_SECRET: optionalString,
  XOXODAY_WEBHOOK_KEY: optionalString.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9]{13,60}$/, "must be 13-60 alphanumeric characters (Plum's x-api-key format)")
      .optional(),
  ),
  // Budget: connect + headers + body stays under the router's 30 s subgraph timeout.
  XOXODAY_CONNECT_TIMEOUT_MS: ms(3_000),
  XOXODAY_HEADERS_TIMEOUT_MS: ms(20_000),
  XOXODAY_BODY_TIMEOUT_MS: ms(5_000),
  XOXODAY_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(256).default(16),
  XOXODAY_REFRESH_BEFORE_EXPIRY_MS: ms(3 * 24 * 3_600_000),
  // A callback created further in the future than this is refused (it would win over every later one).
  WEBHOOK_MAX_FUTURE_MS: z.coerce.number().int().min(0).default(300_000),
  // Callbacks that matched no order are deleted this long after they arrived.
  WEBHOOK_UNMATCHED_TTL_MS: ms(7 * 24 * 3_600_000),

  SIMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(4010),
  // A path, or "off"; unset: beside an SQLite ledger file in development (dev/simulatorStateFile.ts).
  SIMULATOR_STATE_FILE: optionalString,

  DATABASE_URL: optionalString,
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  // Group commit: how long a write may wait for concurrent ones to share its commit (0: same event-loop turn only),
  // and how many share one at most (1: every write commits alone).
  LEDGER_GROUP_COMMIT_MAX_WAIT_MS: z.coerce.number().int().min(0).max(50).default(1),
  LEDGER_GROUP_COMMIT_MAX_OPERATIONS: z.coerce.number().int().min(1).max(1_000).default(64),

  RECONCILE_SETTLE_MS: ms(30_000),
  RECONCILE_INTERVAL_MS: ms(5_000),
  // A pending row is looked up at most once per this interval, whoever asks (default: RECONCILE_INTERVAL_MS).
  RECONCILE_LOOKUP_INTERVAL_MS: z.coerce.number().int().positive().optional(),
  RECONCILE_MAX_BACKOFF_MS: ms(600_000),
  MAX_SEND_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  // Plum may keep processing a placeOrder for up to 120 s (docs/plum-api.md §1, §6.3): "not found" proves nothing
  // before the newest attempt started this long (plus RECONCILE_SETTLE_MS) ago.
  XOXODAY_MAX_PROCESSING_MS: ms(120_000),
  // Short, and renewed while an exchange runs, so a dead process's orders are resumed within seconds.
  PLACEMENT_LEASE_MS: z.coerce.number().int().min(1_000).default(10_000),

  // The scheduled comparison with Plum's getOrderHistory (0 turns the schedule off; runReconciliation still works).
  RECONCILIATION_INTERVAL_MS: z.coerce.number().int().min(0).default(86_400_000),
  RECONCILIATION_WINDOW_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  // getOrderHistory allows 200 requests a minute (docs/plum-api.md §6.2); the job stays well inside it.
  RECONCILIATION_HISTORY_PER_MINUTE: z.coerce.number().int().min(1).max(200).default(60),
  RECONCILIATION_PAGE_SIZE: z.coerce.number().int().min(1).max(1_000).default(100),
  // Ledger orders younger than this are not expected in Plum's history yet.
  RECONCILIATION_GRACE_MS: z.coerce.number().int().min(0).default(600_000),
  // Keys the caller poNumber namespaces (orders/poNumberNamespace.ts); changing it affects new orders only.
  PO_NUMBER_KEY: optionalString.pipe(z.string().min(16, "must be at least 16 characters").optional()),

  ROUTER_SECRET: optionalString,
  AUTH_JWKS_URL: optionalString.pipe(z.string().url().optional()),
  AUTH_JWT_SECRET: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
  AUTH_ISSUER: optionalString,
  AUTH_AUDIENCE: optionalString,
  AUTH_ALGORITHMS: optionalString,
  AUTH_JWT_TYP: optionalString,
  AUTH_MAX_TOKEN_AGE_SECONDS: z.coerce.number().int().min(0).default(86_400),

  ENABLE_INTROSPECTION: bool.optional(),
  ENABLE_SANDBOX: bool.optional(),
  MAX_BODY_BYTES: z.coerce.number().int().min(1_024).default(262_144),
  MAX_QUERY_DEPTH: z.coerce.number().int().min(2).default(10),
  MAX_QUERY_COMPLEXITY: z.coerce.number().int().min(10).default(1_000),
  MAX_ENTITY_REPRESENTATIONS: z.coerce.number().int().min(1).default(100),
  MAX_QUERY_TOKENS: z.coerce.number().int().min(100).default(5_000),
  SHUTDOWN_GRACE_MS: ms(30_000),
  // Each caller's budget for requests that may reach Plum (placements, reads of pending or unknown orders): a
  // bucket of CALLER_RATE_LIMIT_BURST tokens refilled at CALLER_RATE_LIMIT_PER_MINUTE; 0 per minute disables it.
  CALLER_RATE_LIMIT_BURST: z.coerce.number().int().min(1).default(20),
  CALLER_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(60),
  MAX_UPSTREAM_CALLS_PER_REQUEST: z.coerce.number().int().min(1).default(20),
  // The shared Plum budget (docs/plum-api.md §6.2): sends per window per operation for the whole account, counted
  // by every replica through the ledger's database; 0: not limited here. The window is Plum's minute (tests scale it).
  PLUM_BUDGET_WINDOW_MS: ms(60_000),
  // How long a granted slot stays good for its send (a send that cannot leave by then is queued again): at least
  // 100 ms, or every send would miss its slot and the queue would never drain.
  PLUM_BUDGET_MARGIN_MS: z.coerce.number().int().min(100).default(1_000),
  PLUM_BUDGET_PLACE_ORDER: z.coerce.number().int().min(0).default(100),
  PLUM_BUDGET_GET_ORDER_DETAILS: z.coerce.number().int().min(0).default(200),
  PLUM_BUDGET_GET_ORDER_HISTORY: z.coerce.number().int().min(0).default(200),
  PLUM_BUDGET_GET_VOUCHERS: z.coerce.number().int().min(0).default(50),
  PLUM_BUDGET_GET_BALANCE: z.coerce.number().int().min(0).default(10),
  PLUM_BUDGET_LOOKUP_MOBILE_NUMBER: z.coerce.number().int().min(0).default(0),
  PLUM_BUDGET_RESERVED_SHARE: z.coerce.number().min(0).max(0.5).default(0.2),
  PLUM_BUDGET_LOOKUP_WAIT_MS: z.coerce.number().int().min(0).default(2_000),
  // Queued placements above this bound are refused (RATE_LIMITED, retryable); the dispatcher looks this often.
  PLACEMENT_QUEUE_MAX: z.coerce.number().int().min(0).default(10_000),
  PLACEMENT_DISPATCH_INTERVAL_MS: ms(250),
  BULK_PLACEMENT_MAX: z.coerce.number().int().min(1).max(5_000).default(500),
  // The public listener's limits against slow or too many clients (node:http server settings).
  HTTP_HEADERS_TIMEOUT_MS: ms(10_000),
  HTTP_REQUEST_TIMEOUT_MS: ms(15_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: ms(5_000),
  HTTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).default(1_000),

  // The catalogue snapshot (src/catalogue/): Plum advises refreshing 4× a day (docs/plum-api.md §4.5).
  CATALOGUE_REFRESH_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(60_000)
    .default(6 * 3_600_000),
  CATALOGUE_MAX_AGE_MS: ms(24 * 3_600_000),
  CATALOGUE_ON_DEMAND_INTERVAL_MS: z.coerce.number().int().min(1_000).default(300_000),
  // getVouchers' limits (docs/plum-api.md §6.2, §4.5: 50 a minute, 500 a day); sources disagree, so configurable.
  CATALOGUE_CALLS_PER_MINUTE: z.coerce.number().int().min(1).default(45),
  CATALOGUE_DAILY_CALL_BUDGET: z.coerce.number().int().min(1).default(500),
  OPERATOR_LOOKUP_CACHE_MS: z.coerce.number().int().nonnegative().default(600_000),
  BALANCE_CACHE_MS: z.coerce.number().int().nonnegative().default(60_000),
  XOXODAY_WALLET_CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as USD")
    .default("USD"),
});

export type RawEnv = z.infer<typeof schema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export function parseEnv(env: NodeJS.ProcessEnv): RawEnv {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  // Never echo values: a bad variable may be a secret.
  throw new ConfigError(
    result.error.issues.map((i) => {
      // zod's "expected number, received NaN" puzzles an operator who wrote PORT=abc.
      const message = i.code === "invalid_type" && i.expected === "number" ? "must be a number" : i.message;
      return `${i.path.join(".")}: ${message}`;
    }),
  );
}
