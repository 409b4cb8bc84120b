// The simulator's Plum limits (src/simulator/rateLimiter.ts): a sliding window per operation, and a penalty after
// going over during which every request of that operation is refused (docs/plum-api.md §6.2).
import { describe, expect, it } from "vitest";
import { RateLimiter } from "../../src/simulator/rateLimiter.js";

describe("simulator rate limiter", () => {
  it("counts any window (not clock minutes) and penalizes the operation after going over", () => {
    const limiter = new RateLimiter({ placeOrder: 2, getOrderDetails: 5 }, { windowMs: 1_000, penaltySeconds: 3 });
    expect(limiter.decide("placeOrder", 900)).toEqual({ allowed: true });
    expect(limiter.decide("placeOrder", 1_100)).toEqual({ allowed: true });
    // A fixed clock window would have reset at 1 000; the sliding one still holds both.
    expect(limiter.decide("placeOrder", 1_200)).toEqual({ allowed: false, penaltySeconds: 3 });
    // The penalty: refused until 4 200 even though the window has room again.
    expect(limiter.decide("placeOrder", 2_500)).toEqual({ allowed: false, penaltySeconds: 2 });
    expect(limiter.decide("getOrderDetails", 2_500)).toEqual({ allowed: true });
    expect(limiter.decide("placeOrder", 4_200)).toEqual({ allowed: true });
    expect(limiter.refused("placeOrder")).toBe(2);
    expect(limiter.acceptedAt("placeOrder")).toEqual([900, 1_100, 4_200]);
    expect(limiter.peak("placeOrder")).toBe(2);
  });
});
