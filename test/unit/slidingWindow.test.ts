// The budget's rule (orders/budget/slidingWindow.ts): at most `limit` sends in ANY window, whatever the pattern of
// asks, and the class limit keeps the other class's reserve. A token bucket starting full fails the first property.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InProcessBudgetLedger } from "../../src/orders/budget/inProcessBudget.js";
import type { BudgetClass } from "../../src/orders/budget/ports.js";

const WINDOW = 1_000;

function maxInAnyWindow(times: number[], windowMs: number): number {
  let best = 0;
  let start = 0;
  for (let end = 0; end < times.length; end += 1) {
    while ((times[end] as number) - (times[start] as number) >= windowMs) start += 1;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

describe("sliding-log budget", () => {
  it("never grants more than the limit in any window, and grants again once the oldest send leaves it", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 10 }),
        fc.array(
          fc.record({
            gap: fc.integer({ min: 0, max: 400 }),
            klass: fc.constantFrom<BudgetClass>("placement", "reconciliation"),
          }),
          { maxLength: 200 },
        ),
        async (limit, asks) => {
          let now = 0;
          const ledger = new InProcessBudgetLedger(() => now);
          const granted: number[] = [];
          const byClass: Record<BudgetClass, number[]> = { placement: [], reconciliation: [] };
          const classLimit = Math.max(1, limit - Math.ceil(limit * 0.2));
          for (const ask of asks) {
            now += ask.gap;
            const grant = await ledger.take("getOrderDetails", ask.klass, { limit, classLimit, windowMs: WINDOW });
            if (grant.granted) {
              granted.push(now);
              byClass[ask.klass].push(now);
            } else {
              // The hint is honest: asking again at that moment is granted (for the same class, nothing else taken).
              expect(grant.retryAfterMs).toBeGreaterThan(0);
              expect(grant.retryAfterMs).toBeLessThanOrEqual(WINDOW);
            }
          }
          expect(maxInAnyWindow(granted, WINDOW)).toBeLessThanOrEqual(limit);
          expect(maxInAnyWindow(byClass.placement, WINDOW)).toBeLessThanOrEqual(classLimit);
          expect(maxInAnyWindow(byClass.reconciliation, WINDOW)).toBeLessThanOrEqual(classLimit);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("after a full window, a retry at retryAfterMs is granted", async () => {
    let now = 0;
    const ledger = new InProcessBudgetLedger(() => now);
    const rule = { limit: 3, classLimit: 3, windowMs: WINDOW };
    for (const at of [0, 100, 200]) {
      now = at;
      expect((await ledger.take("placeOrder", "placement", rule)).granted).toBe(true);
    }
    now = 300;
    const refused = await ledger.take("placeOrder", "placement", rule);
    expect(refused).toEqual({ granted: false, retryAfterMs: 700, penalized: false });
    now = 999;
    expect((await ledger.take("placeOrder", "placement", rule)).granted).toBe(false);
    now = 1_000;
    expect((await ledger.take("placeOrder", "placement", rule)).granted).toBe(true);
  });

  it("a penalty refuses every class until it ends", async () => {
    let now = 0;
    const ledger = new InProcessBudgetLedger(() => now);
    const rule = { limit: 3, classLimit: 3, windowMs: WINDOW };
    await ledger.penalize("placeOrder", 2_000);
    expect(await ledger.take("placeOrder", "reconciliation", rule)).toEqual({
      granted: false,
      retryAfterMs: 2_000,
      penalized: true,
    });
    now = 2_000;
    expect((await ledger.take("placeOrder", "placement", rule)).granted).toBe(true);
  });
});
