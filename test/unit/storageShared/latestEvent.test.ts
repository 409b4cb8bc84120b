// Whether the latest stored callback may change an order's delivery status.
import { describe, expect, it } from "vitest";
import { isNewLatest } from "../../../src/storage/shared/latestEvent.js";

const at = (iso: string) => new Date(iso);

describe("isNewLatest", () => {
  it("applies an unapplied event to an order that shows no status yet", () => {
    expect(isNewLatest({ createdAt: at("2024-05-01T10:00:00Z"), appliedAt: null }, null)).toBe(true);
  });

  it("applies an unapplied event as new as or newer than the status shown", () => {
    expect(isNewLatest({ createdAt: at("2024-05-01T10:00:00Z"), appliedAt: null }, at("2024-05-01T10:00:00Z"))).toBe(
      true,
    );
    expect(isNewLatest({ createdAt: at("2024-05-01T11:00:00Z"), appliedAt: null }, at("2024-05-01T10:00:00Z"))).toBe(
      true,
    );
  });

  it("never goes back to an older status", () => {
    expect(
      isNewLatest({ createdAt: at("2024-05-01T09:59:59.999Z"), appliedAt: null }, at("2024-05-01T10:00:00Z")),
    ).toBe(false);
  });

  it("leaves the status alone when the latest event was already applied", () => {
    expect(isNewLatest({ createdAt: at("2024-05-01T11:00:00Z"), appliedAt: at("2024-05-01T11:00:01Z") }, null)).toBe(
      false,
    );
  });
});
