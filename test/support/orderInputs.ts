// Canned placement inputs and the mutations that send them, for tests that need "an order" rather than a
// particular one. Products are the simulator's (src/simulator/catalogue.ts); every poNumber is unique per call.
import { randomUUID } from "node:crypto";
import { AIRTEL_TOPUP_PRODUCT_ID, EMIRATES_SKYWARDS_PRODUCT_ID } from "../../src/simulator/index.js";
import { gql, type GraphQLResponse } from "./graphqlClient.js";

export interface AirmilesInput {
  productId: number;
  denomination: number;
  email: string;
  contact?: string;
  tag?: string;
  poNumber: string;
  userMeta: { loyaltyMemberId: string };
}

export interface TopupInput {
  productId: number;
  denomination: number;
  email: string;
  tag?: string;
  poNumber: string;
  performOperatorValidation?: boolean;
  userMeta: { topupPhoneCode: string; topupPhoneNumber: string };
}

export interface PlacedOrder {
  orderId: string;
  poNumber: string | null;
  kind: string | null;
}

export interface PlacePayload {
  outcome: "PLACED" | "REPLAYED" | "PENDING" | "REJECTED";
  errors: { code: string; message: string; field: string[] | null; retryable: boolean }[];
  order: PlacedOrder | null;
}

export const ORDER_FIELDS = "orderId poNumber kind";
const PAYLOAD = `outcome errors { code message field retryable } order { ${ORDER_FIELDS} }`;

export const PLACE_AIRMILES = `mutation PlaceAirmiles($input: PlaceAirmilesOrderInput!) { placeAirmilesOrder(input: $input) { ${PAYLOAD} } }`;
export const PLACE_TOPUP = `mutation PlaceTopup($input: PlaceTopupOrderInput!) { placeTopupOrder(input: $input) { ${PAYLOAD} } }`;

export function newPoNumber(prefix = "po"): string {
  return `${prefix}-${randomUUID()}`;
}

/** A valid airmiles order (Emirates Skywards, realtime: PLACED at once). */
export function airmilesInput(overrides: Partial<AirmilesInput> = {}): AirmilesInput {
  return {
    productId: EMIRATES_SKYWARDS_PRODUCT_ID,
    denomination: 50,
    email: "member@example.com",
    poNumber: newPoNumber("air"),
    userMeta: { loyaltyMemberId: "EK-000123" },
    ...overrides,
  };
}

/** A valid top-up order (Airtel India, +91 and a number with an Airtel prefix). */
export function topupInput(overrides: Partial<TopupInput> = {}): TopupInput {
  return {
    productId: AIRTEL_TOPUP_PRODUCT_ID,
    denomination: 100,
    email: "customer@example.com",
    poNumber: newPoNumber("top"),
    userMeta: { topupPhoneCode: "+91", topupPhoneNumber: "9812345678" },
    ...overrides,
  };
}

export async function placeAirmiles(
  url: string,
  input: AirmilesInput,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<{ placeAirmilesOrder: PlacePayload }>> {
  return gql<{ placeAirmilesOrder: PlacePayload }>(url, PLACE_AIRMILES, { input }, headers);
}

export async function placeTopup(
  url: string,
  input: TopupInput,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<{ placeTopupOrder: PlacePayload }>> {
  return gql<{ placeTopupOrder: PlacePayload }>(url, PLACE_TOPUP, { input }, headers);
}
