// Builders for ledger tests. Every poNumber and orderId is unique, so tests can share one database.
import { randomInt, randomUUID } from "node:crypto";
import { OrderErrorCode, type OrderFailure } from "../../src/orders/errorCodes.js";
import { OrderKind } from "../../src/orders/orderKind.js";
import { parsePlumDate } from "../../src/plum/plumDate.js";
import type { PlumOrderWire } from "../../src/plum/wire.js";
import type { AttemptEntry, Lease, NewPlacement, StoredTokens, WebhookEvent } from "../../src/storage/ledger.js";

export function uniquePo(label: string): string {
  return `PO-${label}-${randomUUID().slice(0, 8)}`;
}

export function uniqueOrderId(): string {
  return String(randomInt(1_000_000_000, 2 ** 47));
}

/** A lease taken at `now` by the test's clock (production leases use the database's clock). */
export function lease(owner: string, now: Date, ttlMs = 30_000): Lease {
  return { owner, ms: ttlMs, at: now };
}

/** Copies of one row read at different instants differ only in `readAt`: compare rows without it. */
export function ignoreReadAt(this: unknown, a: unknown, b: unknown, customTesters: unknown[]): boolean | undefined {
  const isRow = (v: unknown): v is { readAt: Date; poNumber: string } =>
    typeof v === "object" &&
    v !== null &&
    "readAt" in v &&
    "poNumber" in v &&
    (v as { readAt: unknown }).readAt instanceof Date;
  if (!isRow(a) || !isRow(b) || a.readAt === b.readAt) return undefined;
  const { readAt: _a, ...restA } = a;
  const { readAt: _b, ...restB } = b;
  return (this as unknown as { equals(x: unknown, y: unknown, t: unknown[]): boolean }).equals(
    restA,
    restB,
    customTesters,
  );
}

export function at(base: Date, offsetMs: number): Date {
  return new Date(base.getTime() + offsetMs);
}

/** A minute ago: lets `updatedAt` visibly move when update stamps the current time. */
export function aMinuteAgo(): Date {
  return new Date(Date.now() - 60_000);
}

export function placement(poNumber: string, overrides: Partial<NewPlacement> = {}): NewPlacement {
  return {
    poNumber,
    kind: OrderKind.TOPUP,
    fingerprint: "a".repeat(64),
    subject: "user-42",
    request: {
      productId: 20301,
      quantity: 1,
      denomination: 50,
      email: "buyer@example.com",
      contact: "+971500000000",
      poNumber,
      notifyReceiverEmail: 0,
      notifyAdminEmail: 1,
      performOperatorValidation: 1,
      userMeta: { topupPhoneCode: "+971", topupPhoneNumber: "500000000" },
    },
    ...overrides,
  };
}

export function plumOrder(orderId: string, poNumber: string): PlumOrderWire {
  return {
    orderId: Number(orderId),
    poNumber,
    orderTotal: "50.00",
    orderDiscount: "",
    currencyCode: "AED",
    amountCharged: 50,
    orderStatus: "complete",
    deliveryStatus: "pending",
    quantity: 1,
    orderDate: "2024-05-01 10:00:00",
    vouchers: [],
    voucherDetails: [{ orderId: Number(orderId), productName: "Top-up", denomination: 50, cancelledQuantity: 0 }],
    orderMeta: { nested: { list: [1, "two", null], flag: true } },
  };
}

export function failure(): OrderFailure {
  return {
    code: OrderErrorCode.OUTCOME_UNKNOWN,
    message: "The upstream did not answer in time",
    field: ["input", "poNumber"],
    upstreamErrorId: null,
    retryable: true,
    retryAfterSeconds: 30,
  };
}

/** `createdAt` as Plum writes it, read the way the webhook handler reads it (zoneless is UTC; not a time: invalid). */
export function webhook(
  overrides: Partial<Omit<WebhookEvent, "createdAt">> & Pick<WebhookEvent, "orderId"> & { createdAt?: string },
): WebhookEvent {
  const { createdAt = "2024-05-01T10:05:00.000Z", ...rest } = overrides;
  return {
    id: String(randomInt(1, 2 ** 47)),
    poNumber: null,
    deliveryStatus: "delivered",
    orderDate: "2024-05-01 10:00:00",
    receivedAt: new Date(),
    ...rest,
    createdAt: parsePlumDate(createdAt) ?? new Date(Number.NaN),
  };
}

export function tokens(accessToken: string): StoredTokens {
  return {
    accessToken,
    refreshToken: `refresh-${accessToken}`,
    accessTokenExpiresAt: new Date("2030-01-16T00:00:00.000Z"),
    refreshTokenExpiresAt: null,
    updatedAt: new Date("2030-01-01T00:00:00.000Z"),
  };
}

export function attempt(poNumber: string | null, overrides: Partial<AttemptEntry> = {}): AttemptEntry {
  return {
    poNumber,
    operation: "placeOrder",
    phase: "request",
    body: '{"query":"plumProAPI.mutation.placeOrder"}',
    httpStatus: null,
    errorCode: null,
    durationMs: null,
    at: new Date("2024-05-01T10:00:00.000Z"),
    ...overrides,
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
