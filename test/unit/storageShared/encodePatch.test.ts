// The patch value check both engines share: a value must match its column's kind, JSON always travels as text.
import { describe, expect, it } from "vitest";
import type { PatchAssignment } from "../../../src/storage/recordPatch.js";
import { encodePatchValue, type PatchCodec } from "../../../src/storage/shared/encodePatch.js";

const codec: PatchCodec<string> = { date: (value) => `date:${value.toISOString()}`, bool: (value) => `bool:${value}` };
const assign = (kind: PatchAssignment["kind"], value: PatchAssignment["value"]): PatchAssignment => ({
  column: "c",
  kind,
  value,
});

describe("encodePatchValue", () => {
  it("sends null for null and undefined whatever the kind (null clears the column)", () => {
    expect(encodePatchValue(assign("date", null), codec)).toBeNull();
    expect(encodePatchValue(assign("json", undefined), codec)).toBeNull();
  });

  it("sends JSON as text, ints and text as they are, instants and booleans through the engine's codec", () => {
    expect(encodePatchValue(assign("json", [{ n: 1, answer: "open" }]), codec)).toBe('[{"n":1,"answer":"open"}]');
    expect(encodePatchValue(assign("int", 3), codec)).toBe(3);
    expect(encodePatchValue(assign("text", "PLACED"), codec)).toBe("PLACED");
    expect(encodePatchValue(assign("date", new Date("2024-05-01T10:00:00Z")), codec)).toBe(
      "date:2024-05-01T10:00:00.000Z",
    );
    expect(encodePatchValue(assign("bool", false), codec)).toBe("bool:false");
  });

  it("refuses a value of another kind, naming the column", () => {
    expect(() => encodePatchValue(assign("int", "3"), codec)).toThrow(new TypeError("patch value for c is not int"));
    expect(() => encodePatchValue(assign("date", 1714557600000), codec)).toThrow(TypeError);
    expect(() => encodePatchValue(assign("bool", 1), codec)).toThrow(TypeError);
    expect(() => encodePatchValue(assign("text", 7), codec)).toThrow(TypeError);
  });
});
