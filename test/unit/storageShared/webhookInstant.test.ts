// The engines refuse to store a callback whose createdAt is not a time (it would sort anywhere).
import { describe, expect, it } from "vitest";
import { webhookInstant } from "../../../src/storage/shared/webhookInstant.js";

describe("webhookInstant", () => {
  it("passes a valid instant through", () => {
    const at = new Date("2024-05-01T10:00:00Z");
    expect(webhookInstant(at)).toBe(at);
  });

  it("throws a RangeError for an invalid Date", () => {
    expect(() => webhookInstant(new Date(Number.NaN))).toThrow(RangeError);
  });
});
