// Placing and reading orders over HTTP with the generated documents' full selection (every field of the payload
// and of Order, as a client sees them). `send*` return the response as the client got it, refusals included;
// `place*` and the reads expect GraphQL to accept the operation (business failures are payload data).
import { expect } from "vitest";
import {
  OrderByIdDocument,
  OrderByPoNumberDocument,
  PlaceAirmilesOrderDocument,
  PlaceTopupOrderDocument,
  type OrderFieldsFragment,
  type PlaceAirmilesOrderInput,
  type PlaceAirmilesOrderMutation,
  type PlaceOrderPayloadFieldsFragment,
  type PlaceTopupOrderInput,
  type PlaceTopupOrderMutation,
} from "../__generated__/graphql.js";
import { gql, type GraphQLResponse } from "./graphqlClient.js";

export interface Placed {
  response: GraphQLResponse<unknown>;
  payload: PlaceOrderPayloadFieldsFragment;
}

/** The payload of a placement GraphQL accepted; fails the test on a transport or GraphQL error. */
export function acceptedPayload<TPayload>(response: GraphQLResponse<unknown>, payload: TPayload | undefined): TPayload {
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  expect(response.status).toBe(200);
  if (payload === undefined) throw new Error(`no payload in ${JSON.stringify(response)}`);
  return payload;
}

/** The order a read found, or null; fails the test on a GraphQL error. */
export function readOrder<TOrder>(response: GraphQLResponse<unknown>, order: TOrder | null | undefined): TOrder | null {
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return order ?? null;
}

export function sendAirmiles(
  url: string,
  input: PlaceAirmilesOrderInput,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<PlaceAirmilesOrderMutation>> {
  return gql(url, PlaceAirmilesOrderDocument, { input }, headers);
}

export function sendTopup(
  url: string,
  input: PlaceTopupOrderInput,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<PlaceTopupOrderMutation>> {
  return gql(url, PlaceTopupOrderDocument, { input }, headers);
}

export async function placeAirmiles(url: string, input: PlaceAirmilesOrderInput): Promise<Placed> {
  const response = await sendAirmiles(url, input);
  return { response, payload: acceptedPayload(response, response.data?.placeAirmilesOrder) };
}

export async function placeTopup(url: string, input: PlaceTopupOrderInput): Promise<Placed> {
  const response = await sendTopup(url, input);
  return { response, payload: acceptedPayload(response, response.data?.placeTopupOrder) };
}

export async function orderById(url: string, orderId: string): Promise<OrderFieldsFragment | null> {
  const response = await gql(url, OrderByIdDocument, { orderId });
  return readOrder(response, response.data?.order);
}

export async function orderByPoNumber(url: string, poNumber: string): Promise<OrderFieldsFragment | null> {
  const response = await gql(url, OrderByPoNumberDocument, { poNumber });
  return readOrder(response, response.data?.orderByPoNumber);
}
