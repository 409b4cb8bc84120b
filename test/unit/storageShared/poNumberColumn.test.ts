// "No poNumber" is null in the domain and "" in the NOT NULL po_number columns; the conversion round-trips.
import { describe, expect, it } from "vitest";
import { poNumberColumn, poNumberFromColumn } from "../../../src/storage/shared/poNumberColumn.js";

describe("poNumber columns", () => {
  it("stores no poNumber as the empty string and reads it back as null", () => {
    expect(poNumberColumn(null)).toBe("");
    expect(poNumberFromColumn("")).toBeNull();
  });

  it("keeps a poNumber as it is both ways", () => {
    expect(poNumberColumn("PO-1")).toBe("PO-1");
    expect(poNumberFromColumn("PO-1")).toBe("PO-1");
  });
});
