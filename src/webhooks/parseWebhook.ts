// Validates Plum's delivery-status callback ({id, data:{orderId, poNumber, orderDate, deliveryStatus}, createdAt},
// docs/plum-api.md §5) and normalises it: statuses compared case-insensitively, both spellings of cancelled merged.
import { z } from "zod";
import { isCleanText } from "../orders/cleanText.js";
import { toId } from "../plum/lenient.js";
import { normaliseDeliveryStatus } from "../orders/orderView.js";
import { parsePlumDate } from "../plum/plumDate.js";
import type { WebhookEvent } from "../storage/ledger.js";

const idLike = z.union([z.number().int().positive(), z.string().regex(/^\d{1,20}$/)]);
// NUL or a lone surrogate would fail in the database (a 500, and Plum disables a webhook after three): a 400 here.
const text = (max: number) => z.string().max(max).refine(isCleanText, "must be well-formed text without control characters");

const webhookBody = z.object({
  id: idLike,
  data: z.object({
    orderId: idLike,
    poNumber: text(100).default(""),
    orderDate: text(40).nullable().optional(),
    deliveryStatus: text(40).pipe(z.string().min(1)),
  }),
  createdAt: text(40).pipe(z.string().min(1)),
});

/** The event, or null when the body is not a valid callback. */
export function parseWebhook(body: unknown, receivedAt: Date): WebhookEvent | null {
  const parsed = webhookBody.safeParse(body);
  if (!parsed.success) return null;
  const { id, data, createdAt } = parsed.data;
  const created = parsePlumDate(createdAt);
  const orderId = toId(data.orderId);
  const eventId = toId(id);
  if (created === null || orderId === null || eventId === null) return null;
  return {
    id: eventId,
    orderId,
    poNumber: data.poNumber,
    deliveryStatus: normaliseDeliveryStatus(data.deliveryStatus),
    orderDate: data.orderDate ?? null,
    createdAt: created.toISOString(),
    receivedAt,
  };
}
