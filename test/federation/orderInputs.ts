// Valid placement inputs for the simulator's catalogue, typed by the generated operation types.
import { randomUUID } from "node:crypto";
import { EMIRATES_SKYWARDS_PRODUCT_ID, JIO_TOPUP_PRODUCT_ID } from "../../src/simulator/index.js";
import type { PlaceAirmilesOrderInput, PlaceTopupOrderInput } from "../__generated__/graphql.js";

/** Unique per call and per process, so parallel test files never share an idempotency key. */
export function uniquePoNumber(prefix: string): string {
  return `${prefix}-${process.pid}-${randomUUID().slice(0, 12)}`;
}

export function airmilesInput(overrides: Partial<PlaceAirmilesOrderInput> = {}): PlaceAirmilesOrderInput {
  return {
    productId: EMIRATES_SKYWARDS_PRODUCT_ID,
    denomination: 50,
    email: "member@example.com",
    poNumber: uniquePoNumber("FED-AM"),
    userMeta: { loyaltyMemberId: "EK-123456789" },
    ...overrides,
  };
}

export function topupInput(overrides: Partial<PlaceTopupOrderInput> = {}): PlaceTopupOrderInput {
  return {
    productId: JIO_TOPUP_PRODUCT_ID,
    denomination: 149,
    email: "customer@example.com",
    poNumber: uniquePoNumber("FED-TU"),
    // Jio numbers start with 70 or 89 in the simulator's operator table; +91 numbers have 10 digits.
    userMeta: { topupPhoneCode: "+91", topupPhoneNumber: "7012345678" },
    ...overrides,
  };
}
