// The bounded expiring cache behind operator look-ups and the wallet balance, on an injected clock.
import { describe, expect, it } from "vitest";
import { TtlCache } from "../../src/catalogue/ttlCache.js";

describe("TtlCache", () => {
  it("serves an entry until its time-to-live has passed, then forgets it", () => {
    let now = 1_000;
    const cache = new TtlCache<string, number>(100, 10, () => now);
    cache.set("a", 1);
    now = 1_099;
    expect(cache.get("a")).toBe(1);
    now = 1_100;
    expect(cache.get("a")).toBeUndefined();
  });

  it("evicts the oldest entry when full", () => {
    const cache = new TtlCache<string, number>(100, 2, () => 0);
    cache.set("a", 1);
    cache.set("b", 2);
    cache.set("c", 3);
    expect([cache.get("a"), cache.get("b"), cache.get("c")]).toEqual([undefined, 2, 3]);
  });

  it("stores nothing with a time-to-live of 0 (caching off)", () => {
    const cache = new TtlCache<string, number>(0, 2, () => 0);
    cache.set("a", 1);
    expect(cache.get("a")).toBeUndefined();
  });
});
