// Shared pieces of the HTTP integration tests: waiting out the settle window, and the check that nothing Plum said
// reaches the client verbatim.
import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "vitest";

/** Test settle window is 300 ms (test/support/harness.ts); wait comfortably past it, without tight timing. */
export const PAST_SETTLE_MS = 450;

export function pastSettleWindow(): Promise<void> {
  return sleep(PAST_SETTLE_MS);
}

// What the simulator says in its own bodies (errorInfo/error texts, gateway pages, operator and poNumber details).
// None of it may reach a client: upstream text can carry personal data and internal detail.
const UPSTREAM_TEXTS = [
  "Failed to",
  "Validation error",
  "<html",
  "nginx",
  "Injected fault",
  "Vouchers are out of stock",
  "Not allowed to place",
  "Operator validation failed",
  "Insufficient balance",
  "Failed to redeem points",
  "ProductId and Denomination",
  "not activated for the client",
  "already exists",
  "Order not found",
  "request_limit_exceeded",
  "invalid/expired token",
  "Delivery is canceled",
];

/** The whole response, as the client received it, carries no upstream text and no stack trace. */
export function expectNothingVerbatim(response: unknown): void {
  const text = JSON.stringify(response);
  for (const upstream of UPSTREAM_TEXTS)
    expect(text, `response contains upstream text "${upstream}"`).not.toContain(upstream);
  expect(text).not.toMatch(/at [^"]*\.ts:\d+/);
  expect(text).not.toMatch(/stacktrace/i);
}
