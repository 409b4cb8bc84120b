// Delivery-status callbacks (docs/plum-api.md §5): up to 3 attempts per event, then the webhook is disabled
// and later events are dropped, as Plum does until it is re-enabled in the dashboard.
import { setTimeout as sleep } from "node:timers/promises";
import { Agent, request } from "undici";
import type { PlumWebhookBody } from "../plum/wire.js";
import { plumDateTime } from "./dates.js";
import type { SimOrder } from "./orderBook.js";
import { RingBuffer } from "./ringBuffer.js";
import type { WebhookConfig, WebhookDelivery } from "./types.js";

const MAX_ATTEMPTS = 3;
const BACKOFF_MS = [50, 100];
const ATTEMPT_TIMEOUT_MS = 5_000;
const HISTORY = 10_000;

// Ids must stay unique across simulator instances and restarts, since receivers dedupe on them:
// a time-based base per process plus a process-wide counter.
let nextWebhookId = Date.now() * 1000;

export type FinalStatus = "delivered" | "canceled";

export class WebhookEmitter {
  private readonly agent = new Agent({ keepAliveTimeout: 1_000, connect: { timeout: ATTEMPT_TIMEOUT_MS } });
  private readonly history = new RingBuffer<WebhookDelivery>(HISTORY);
  private isDisabled = false;

  constructor(
    private config: WebhookConfig | undefined,
    private readonly signal: AbortSignal,
  ) {}

  /** Points callbacks somewhere else (the service learns its own port only after it listens). */
  configure(config: WebhookConfig | undefined): void {
    this.config = config;
  }

  get disabled(): boolean {
    return this.isDisabled;
  }

  deliveries(): WebhookDelivery[] {
    return this.history.toArray();
  }

  /** Sends one event, retrying; resolves once the attempts are over. */
  async emit(order: SimOrder, status: FinalStatus): Promise<void> {
    const config = this.config;
    if (config === undefined || this.isDisabled) return;
    const now = new Date();
    const body: PlumWebhookBody = {
      id: nextWebhookId++,
      data: {
        orderId: order.orderId,
        poNumber: order.poNumber,
        orderDate: plumDateTime(order.orderDate),
        deliveryStatus: config.statusCase === "capitalized" ? status.charAt(0).toUpperCase() + status.slice(1) : status,
      },
      createdAt: plumDateTime(now),
    };
    const payload = JSON.stringify(body);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      if (this.isDisabled || this.signal.aborted) return;
      const httpStatus = await this.post(config, payload);
      if (this.signal.aborted) return;
      this.history.push({ id: Number(body.id), status: httpStatus, attempt, body });
      // Plum stops retrying only on 200 OK.
      if (httpStatus === 200) return;
      const backoff = BACKOFF_MS[attempt - 1];
      if (backoff !== undefined && !(await this.wait(backoff))) return;
    }
    this.isDisabled = true;
  }

  private async post(config: WebhookConfig, payload: string): Promise<number | null> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (config.apiKey !== undefined) headers["x-api-key"] = config.apiKey;
    try {
      const response = await request(config.url, {
        method: "POST",
        headers,
        body: payload,
        dispatcher: this.agent,
        signal: this.signal,
        headersTimeout: ATTEMPT_TIMEOUT_MS,
        bodyTimeout: ATTEMPT_TIMEOUT_MS,
      });
      await response.body.dump();
      return response.statusCode;
    } catch {
      return null;
    }
  }

  /** false when the simulator closed meanwhile. */
  private async wait(ms: number): Promise<boolean> {
    try {
      await sleep(ms, undefined, { signal: this.signal });
      return true;
    } catch {
      return false;
    }
  }

  /** Re-enables the webhook and forgets past deliveries. */
  reset(): void {
    this.history.clear();
    this.isDisabled = false;
  }

  async close(): Promise<void> {
    await this.agent.destroy();
  }
}
