// Variable-coercion errors must not quote what the caller submitted (it may be an e-mail or a phone number).
import { describe, expect, it } from "vitest";
import { withoutLiteralValue, withoutSubmittedValue } from "../../src/server/plugins/variableErrors.js";

describe("withoutSubmittedValue", () => {
  it.each([
    [
      'Variable "$input" got invalid value "alice@example.com" at "input.productId"; Int cannot represent non-integer value: "alice@example.com"',
      'Variable "$input" has an invalid value at "input.productId": Int cannot represent non-integer value.',
    ],
    [
      'Variable "$input" got invalid value { email: "alice@example.com" }; Field "productId" of required type "Int!" was not provided.',
      'Variable "$input" has an invalid value: Field "productId" of required type "Int!" was not provided.',
    ],
    [
      'Variable "$input" got invalid value { phone: "9876543210" }; Field "phone" is not defined by type "PlaceTopupOrderInput". Did you mean "tag"?',
      'Variable "$input" has an invalid value: Field "phone" is not defined by type "PlaceTopupOrderInput".',
    ],
    [
      'Variable "$input" got invalid value 9876543210 at "input.email"; String cannot represent a non string value: 9876543210',
      'Variable "$input" has an invalid value at "input.email": String cannot represent a non string value.',
    ],
  ])("rewrites %s", (message, expected) => {
    const rewritten = withoutSubmittedValue(message);
    expect(rewritten).toBe(expected);
    expect(rewritten).not.toMatch(/alice@example\.com|9876543210/);
  });

  it("falls back to a generic reason it can vouch for", () => {
    expect(withoutSubmittedValue('Variable "$i" got invalid value "x@y.z"; something new: "x@y.z"')).toBe(
      'Variable "$i" has an invalid value: it does not match the input type.',
    );
  });

  it("leaves other messages alone", () => {
    expect(withoutSubmittedValue('Unknown argument "foo" on field "Mutation.placeAirmilesOrder".')).toBe(
      'Unknown argument "foo" on field "Mutation.placeAirmilesOrder".',
    );
  });
});

describe("withoutLiteralValue", () => {
  it.each([
    ['Int cannot represent non-integer value: "alice@example.com"', "Int cannot represent non-integer value."],
    ["String cannot represent a non string value: 9876543210", "String cannot represent a non string value."],
    ['Value "SECRET" does not exist in "OrderKind" enum.', 'Value does not exist in "OrderKind" enum.'],
    ['Field "z" is not defined by type "I".', 'Field "z" is not defined by type "I".'],
  ])("rewrites %s", (message, expected) => {
    expect(withoutLiteralValue(message)).toBe(expected);
  });
});
