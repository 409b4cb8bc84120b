import { describe, expect, it } from "vitest";
import {
  refreshWithin,
  UNLIMITED_UPSTREAM,
  UpstreamRefusedError,
  type UpstreamBudget,
} from "../../src/orders/upstreamBudget.js";

describe("refreshWithin (placement status look-ups on the caller's budget)", () => {
  it("looks up while the budget allows, then answers the row as the ledger has it, without asking", async () => {
    let left = 1;
    const budget: UpstreamBudget = {
      take() {
        if (left === 0) throw new UpstreamRefusedError("RATE_LIMITED", 3);
        left -= 1;
      },
    };
    const asked: string[] = [];
    const refresh = async (row: string) => {
      asked.push(row);
      return `${row}:refreshed`;
    };
    expect(await refreshWithin(budget, "a", refresh)).toBe("a:refreshed");
    expect(await refreshWithin(budget, "b", refresh)).toBe("b");
    expect(asked).toEqual(["a"]);
  });

  it("passes other failures on", async () => {
    await expect(
      refreshWithin(UNLIMITED_UPSTREAM, "a", async () => Promise.reject(new Error("ledger down"))),
    ).rejects.toThrow("ledger down");
  });
});
