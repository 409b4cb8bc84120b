// The age buckets of PENDING rows (the SQL both engines run) and the bounded label sets of the operations counts.
import { DatabaseSync } from "node:sqlite";
import { describe, expect, it } from "vitest";
import { alertCounts, bucketCounts } from "../../src/orders/operations/counts.js";
import { ageBucketCase } from "../../src/storage/operationsSql.js";

describe("operations counts", () => {
  it("buckets ages at 5 minutes, 1 hour and 1 day (upper bounds exclusive)", () => {
    const db = new DatabaseSync(":memory:");
    const bucket = (age: number) => db.prepare(`SELECT ${ageBucketCase(String(age))} AS b`).get()?.["b"];
    expect([0, 299.9, 300, 3_599, 3_600, 86_399, 86_400, 10_000_000].map(bucket)).toEqual([
      "under_five_minutes",
      "under_five_minutes",
      "under_one_hour",
      "under_one_hour",
      "under_one_day",
      "under_one_day",
      "over_one_day",
      "over_one_day",
    ]);
    db.close();
  });

  it("reports every label, and only known ones (a stray value in a row never becomes a label)", () => {
    expect(
      alertCounts([
        { alert: "order_needs_operator", n: 2 },
        { alert: "someone's poNumber", n: 5 },
      ]),
    ).toEqual({
      order_needs_operator: 2,
      po_number_held_by_different_order: 0,
    });
    expect(
      bucketCounts([
        { bucket: "over_one_day", n: 1 },
        { bucket: "PO-1", n: 9 },
      ]),
    ).toEqual({
      under_five_minutes: 0,
      under_one_hour: 0,
      under_one_day: 0,
      over_one_day: 1,
    });
  });
});
