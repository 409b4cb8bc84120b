// What the webhook endpoint and its expiry need from the ledger. The webhooks layer owns these; storage implements them.

export interface WebhookEvent {
  /** Plum's webhook id: the idempotency key. */
  id: string;
  orderId: string;
  /** null: the callback carried none. */
  poNumber: string | null;
  /** Normalised lower-case: delivered | cancelled | … */
  deliveryStatus: string;
  orderDate: string | null;
  /** When the callback was created; later events win. */
  createdAt: Date;
  receivedAt: Date;
}

/** "mismatched": its orderId and poNumber name different orders; stored, applied to neither. */
export type WebhookRecordResult = "recorded" | "duplicate" | "mismatched";

export interface WebhookStore {
  /**
   * Stores a delivery-status callback once per id ("duplicate" if already stored, and nothing changes). Applies it
   * to the order it names (by orderId, else poNumber; both must name the same order, see storage/shared/webhookMatch.ts)
   * when known and when it is the latest event for that order; otherwise keeps it until the order is written or
   * remembered. A PENDING placement it names by poNumber gains a webhook proof of existence (with the event's
   * orderId) and becomes due at once.
   */
  recordWebhookEvent(event: WebhookEvent): Promise<WebhookRecordResult>;
  /**
   * Deletes events received before `receivedBefore` that never matched an order (unknown orders, or an orderId and
   * a poNumber naming different orders); returns how many. Applied events stay: they keep ids idempotent.
   */
  pruneUnmatchedWebhookEvents(receivedBefore: Date): Promise<number>;
}
