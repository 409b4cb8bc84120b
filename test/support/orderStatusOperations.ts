// Placing and reading orders over HTTP with the narrow selection of test/operations/orderStatus.graphql (an order's
// identity and delivery status), for tests that compare what comes back whole. The placements return the payload
// and, like the reads, fail the test on a transport or GraphQL error (business failures are payload data).
import {
  OrderStatusByIdDocument,
  OrderStatusByPoNumberDocument,
  PlaceAirmilesOrderStatusDocument,
  PlaceTopupOrderStatusDocument,
  type OrderStatusFieldsFragment,
  type PlaceAirmilesOrderInput,
  type PlacementStatusFieldsFragment,
  type PlaceTopupOrderInput,
} from "../__generated__/graphql.js";
import { gql } from "./graphqlClient.js";
import { acceptedPayload, readOrder } from "./orderOperations.js";

export async function placeAirmilesStatus(
  url: string,
  input: PlaceAirmilesOrderInput,
): Promise<PlacementStatusFieldsFragment> {
  const response = await gql(url, PlaceAirmilesOrderStatusDocument, { input });
  return acceptedPayload(response, response.data?.placeAirmilesOrder);
}

export async function placeTopupStatus(
  url: string,
  input: PlaceTopupOrderInput,
): Promise<PlacementStatusFieldsFragment> {
  const response = await gql(url, PlaceTopupOrderStatusDocument, { input });
  return acceptedPayload(response, response.data?.placeTopupOrder);
}

export async function orderStatusById(url: string, orderId: string): Promise<OrderStatusFieldsFragment | null> {
  const response = await gql(url, OrderStatusByIdDocument, { orderId });
  return readOrder(response, response.data?.order);
}

export async function orderStatusByPoNumber(url: string, poNumber: string): Promise<OrderStatusFieldsFragment | null> {
  const response = await gql(url, OrderStatusByPoNumberDocument, { poNumber });
  return readOrder(response, response.data?.orderByPoNumber);
}
