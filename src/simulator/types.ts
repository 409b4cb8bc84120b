// Public types of the Plum simulator.
import type { PlumWebhookBody } from "../plum/wire.js";
import type { SimBehaviour } from "./behaviour.js";
import type { SimCatalogueSettings } from "./catalogueState.js";
import type { FaultSpec } from "./faults.js";
import type { SimOrder } from "./orderBook.js";

export type SimOperation =
  | "placeOrder"
  | "getOrderDetails"
  | "getOrderHistory"
  | "getVouchers"
  | "lookupMobileNumber"
  | "getBalance"
  | "tokenRefresh"
  | "tokenValidate"
  | "unknown";

export interface RecordedCall {
  readonly operation: SimOperation;
  /** Parsed JSON, or the raw text when the body was not JSON (null when empty). */
  readonly body: unknown;
  readonly authorization: string | null;
  readonly at: Date;
}

export interface WebhookConfig {
  url: string;
  apiKey?: string;
  /** "lower" (default) sends delivered/canceled, "capitalized" Delivered/Canceled (the docs disagree). */
  statusCase?: "lower" | "capitalized";
}

export interface WebhookDelivery {
  readonly id: number;
  /** HTTP status, or null when the connection failed. */
  readonly status: number | null;
  /** 1-based attempt number for this event. */
  readonly attempt: number;
  readonly body: PlumWebhookBody;
}

export interface RateLimits {
  placeOrder: number;
  getOrderDetails: number;
  /** Absent: not limited. */
  getOrderHistory?: number;
  /** Catalogue and account reads; unlimited when absent. */
  getVouchers?: number;
  lookupMobileNumber?: number;
  getBalance?: number;
}

export interface SimulatorOptions {
  host?: string;
  port?: number;
  accessToken?: string;
  refreshToken?: string;
  clientId?: string;
  clientSecret?: string;
  /** Wallet balance in USD. */
  balance?: number;
  webhook?: WebhookConfig;
  /** Delayed orders become delivered after this many ms; null (default) = pending until deliver(). */
  autoDeliverMs?: number | null;
  recordCalls?: boolean;
  /** Requests per window per operation; null (default) = no limit. */
  rateLimits?: RateLimits | null;
  /** The limits' window (default 60 000 ms, Plum's minute) and the penalty after going over (default 60 s). */
  rateWindowMs?: number;
  ratePenaltySeconds?: number;
  /** false (default): the previous access token keeps working until its own expiry (TOKMGMT). */
  invalidateOldAccessTokenOnRefresh?: boolean;
  accessTokenTtlSeconds?: number;
  /** First orderId handed out (default 98765432). */
  firstOrderId?: number;
  /**
   * A JSON file holding the order book (orders, wallet, next id) across restarts: read at start, rewritten after
   * every change. Undefined (default): in memory only. Faults, behaviour and call logs are never kept.
   */
  stateFile?: string;
  /** Initial behaviour setting (SimBehaviour, default true); reset() returns to it. */
  deduplicatePoNumbers?: boolean;
  /** Initial behaviour setting (SimBehaviour, default 0); reset() returns to it. */
  lookupLagMs?: number;
}

export interface PlumSimulator {
  readonly baseUrl: string;
  /** baseUrl + PLUM_API_PATH. */
  readonly apiUrl: string;
  close(): Promise<void>;
  inject(fault: FaultSpec): void;
  clearFaults(): void;
  calls(operation?: SimOperation): RecordedCall[];
  count(operation: SimOperation): number;
  orders(): SimOrder[];
  /** By poNumber: the first order placed with it. */
  findOrder(by: { orderId?: number; poNumber?: string }): SimOrder | undefined;
  /** Every order placed with this poNumber, oldest first (several only with deduplicatePoNumbers off). */
  ordersByPoNumber(poNumber: string): SimOrder[];
  /** Changes the given behaviour settings (they persist until changed or reset()); throws on invalid values. */
  setBehaviour(partial: Partial<SimBehaviour>): SimBehaviour;
  behaviour(): SimBehaviour;
  deliver(orderId: number, status?: "delivered" | "canceled"): Promise<void>;
  webhookDeliveries(): WebhookDelivery[];
  webhookDisabled(): boolean;
  /** Sets (or clears) where delivery callbacks go. */
  setWebhook(config: WebhookConfig | undefined): void;
  setBalance(usd: number): void;
  /**
   * Makes Plum hold an order nobody placed through the service (an order the ledger never saw, or a second one for
   * a poNumber it knows): `data` is placeOrder's, completed with a valid airmiles order; no duplicate check.
   */
  holdOrder(data?: Record<string, unknown>, orderDate?: Date): SimOrder;
  /** Current wallet balance in USD. */
  balance(): number;
  expireAccessToken(): void;
  readonly tokens: { accessToken: string; refreshToken: string };
  /** The client credentials its refresh endpoint accepts. */
  readonly client: { clientId: string; clientSecret: string };
  /** Catalogue settings: products withdrawn from getVouchers, lookupMobileNumber's answer shape. */
  setCatalogue(patch: Partial<SimCatalogueSettings>): SimCatalogueSettings;
  /** The rate limits' view: refusals, accepted requests' times, the peak in any window; penalize() starts a penalty. */
  readonly rates: {
    refused(operation: keyof RateLimits): number;
    acceptedAt(operation: keyof RateLimits): readonly number[];
    peak(operation: keyof RateLimits, windowMs?: number): number;
    penalize(operation: keyof RateLimits): void;
  };
  reset(): void;
}
