// Validates Plum's delivery-status callback ({id, data:{orderId, poNumber, orderDate, deliveryStatus}, createdAt},
// docs/plum-api.md §5) and normalises it: statuses compared case-insensitively, both spellings of cancelled merged.
import { z } from "zod";
import { isCleanText } from "../orders/cleanText.js";
import { toId } from "../plum/lenient.js";
import { normaliseDeliveryStatus } from "../orders/orderView.js";
import { parsePlumDate } from "../plum/plumDate.js";
import type { WebhookEvent } from "./ports.js";

const idLike = z.union([z.number().int().positive(), z.string().regex(/^\d{1,20}$/)]);
// NUL or a lone surrogate would fail in the database (a 500, and Plum disables a webhook after three): a 400 here.
const text = (max: number) =>
  z.string().max(max).refine(isCleanText, "must be well-formed text without control characters");

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
    // Plum sends "" (or nothing) for an order placed without one.
    poNumber: data.poNumber === "" ? null : data.poNumber,
    deliveryStatus: normaliseDeliveryStatus(data.deliveryStatus),
    orderDate: data.orderDate ?? null,
    createdAt: created,
    receivedAt,
  };
}

/** The largest UTC offset in use (UTC+14): how far ahead a zoneless local time may read when taken as UTC. */
const LARGEST_UTC_OFFSET_MS = 14 * 3_600_000;

/**
 * Whether a callback's createdAt is further ahead of `receivedAt` than `maxFutureMs` allows. Plum's documented
 * createdAt carries no zone (docs/plum-api.md §5), and it is read as UTC: if Plum stamps local time (IST), every
 * real callback would look hours ahead, be refused, and Plum disables a webhook after three failures. So a zoneless
 * value is allowed the largest UTC offset on top; a year-2099 createdAt is still refused either way.
 */
export function createdAtTooFarAhead(body: unknown, event: WebhookEvent, maxFutureMs: number): boolean {
  const raw = webhookBody.safeParse(body);
  const zoned = raw.success && /(?:z|[+-]\d{2}:?\d{2})$/i.test(raw.data.createdAt.trim());
  const allowed = maxFutureMs + (zoned ? 0 : LARGEST_UTC_OFFSET_MS);
  return event.createdAt.getTime() > event.receivedAt.getTime() + allowed;
}
