// Valid placement inputs for the simulator's catalogue (src/simulator/catalogue.ts), typed by the generated
// operation types, for tests that need "an order" rather than a particular one. Every poNumber is unique per call.
import { randomUUID } from "node:crypto";
import {
  AIRTEL_TOPUP_PRODUCT_ID,
  EMIRATES_SKYWARDS_PRODUCT_ID,
  JIO_TOPUP_PRODUCT_ID,
} from "../../src/simulator/index.js";
import type { PlaceAirmilesOrderInput, PlaceTopupOrderInput } from "../__generated__/graphql.js";

/** A poNumber no other test (or earlier run against the same database) uses. */
export function newPoNumber(prefix = "PO"): string {
  return `${prefix}-${randomUUID()}`;
}

/** A realtime airmiles order (Emirates Skywards, open value): PLACED at once. */
export function airmilesInput(overrides: Partial<PlaceAirmilesOrderInput> = {}): PlaceAirmilesOrderInput {
  return {
    productId: EMIRATES_SKYWARDS_PRODUCT_ID,
    quantity: 1,
    denomination: 50,
    email: "member@example.com",
    poNumber: newPoNumber("air"),
    userMeta: { loyaltyMemberId: "EK-000123" },
    ...overrides,
  };
}

/** A delayed top-up (Airtel India, +91 and a number with an Airtel prefix): pending until Plum's delivery callback. */
export function topupInput(overrides: Partial<PlaceTopupOrderInput> = {}): PlaceTopupOrderInput {
  return {
    productId: AIRTEL_TOPUP_PRODUCT_ID,
    quantity: 1,
    denomination: 100,
    email: "customer@example.com",
    poNumber: newPoNumber("top"),
    userMeta: { topupPhoneCode: "+91", topupPhoneNumber: "9812345678" },
    ...overrides,
  };
}

/** A realtime top-up (Jio India; Jio numbers start with 70 or 89 in the simulator's operator table). */
export function realtimeTopupInput(overrides: Partial<PlaceTopupOrderInput> = {}): PlaceTopupOrderInput {
  return topupInput({
    productId: JIO_TOPUP_PRODUCT_ID,
    denomination: 149,
    userMeta: { topupPhoneCode: "+91", topupPhoneNumber: "7012345678" },
    ...overrides,
  });
}
