// Shared helpers for the ledger reliability tests: bounded polling, and the check that an order's attempt log is
// complete and free of credentials.
import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "vitest";
import type { AttemptEntry } from "../../src/storage/ledger.js";

/**
 * Polls `probe` until it returns a value other than undefined; bounded so a broken system fails the test instead
 * of hanging it. The interval is generous: two cores are shared with other test runs.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  { timeoutMs = 20_000, intervalMs = 100 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/**
 * The attempt log holds a request and a response entry for every call, in order, and no stored body carries a
 * bearer token or the access token itself.
 */
export function expectCompleteAttemptLog(attempts: AttemptEntry[], accessToken: string): void {
  for (const operation of ["placeOrder", "getOrderDetails"] as const) {
    const ofOperation = attempts.filter((a) => a.operation === operation);
    const requests = ofOperation.filter((a) => a.phase === "request");
    const responses = ofOperation.filter((a) => a.phase === "response");
    expect(responses.length, `${operation}: one response entry per request`).toBe(requests.length);
  }
  // Each request is followed by its response before the next request of this order (one call at a time).
  let open = false;
  for (const entry of attempts) {
    if (entry.phase === "request") {
      expect(open, "a request entry while the previous call had no response entry").toBe(false);
      expect(entry.body, "request bodies are stored").not.toBeNull();
      open = true;
    } else {
      expect(open, "a response entry without a request").toBe(true);
      // A response either arrived (status, possibly a body) or failed in transport (an error code).
      expect(entry.httpStatus !== null || entry.errorCode !== null, "response has a status or a transport error").toBe(
        true,
      );
      open = false;
    }
  }
  expect(open, "the last request has its response entry").toBe(false);
  for (const entry of attempts) {
    const body = entry.body ?? "";
    expect(body).not.toMatch(/bearer/i);
    expect(body).not.toContain(accessToken);
  }
}
