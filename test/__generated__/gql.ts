/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query Entities($representations: [_Any!]!) {\n  _entities(representations: $representations) {\n    __typename\n    ... on Order {\n      ...OrderFields\n    }\n  }\n}": typeof types.EntitiesDocument,
    "fragment OrderFields on Order {\n  orderId\n  poNumber\n  kind\n  orderTotal\n  rawOrderTotal\n  orderDiscount\n  rawOrderDiscount\n  discountPercent\n  currencyCode\n  currencyValue\n  amountCharged\n  orderStatus\n  deliveryStatus\n  tag\n  quantity\n  voucherDetails {\n    orderId\n    productId\n    productName\n    currencyCode\n    productStatus\n    denomination\n    vendorLogo\n  }\n  placedAt\n  updatedAt\n}\n\nfragment PlaceOrderPayloadFields on PlaceOrderPayload {\n  outcome\n  errors {\n    code\n    message\n    field\n    upstreamErrorId\n    retryable\n    retryAfterSeconds\n  }\n  order {\n    ...OrderFields\n  }\n}": typeof types.OrderFieldsFragmentDoc,
    "query OrderById($orderId: ID!) {\n  order(orderId: $orderId) {\n    ...OrderFields\n  }\n}": typeof types.OrderByIdDocument,
    "query OrderByPoNumber($poNumber: String!) {\n  orderByPoNumber(poNumber: $poNumber) {\n    ...OrderFields\n  }\n}": typeof types.OrderByPoNumberDocument,
    "fragment OrderStatusFields on Order {\n  orderId\n  poNumber\n  deliveryStatus\n}\n\nfragment PlacementStatusFields on PlaceOrderPayload {\n  outcome\n  order {\n    ...OrderStatusFields\n  }\n  errors {\n    code\n    upstreamErrorId\n    retryable\n  }\n}\n\nmutation PlaceAirmilesOrderStatus($input: PlaceAirmilesOrderInput!) {\n  placeAirmilesOrder(input: $input) {\n    ...PlacementStatusFields\n  }\n}\n\nmutation PlaceTopupOrderStatus($input: PlaceTopupOrderInput!) {\n  placeTopupOrder(input: $input) {\n    ...PlacementStatusFields\n  }\n}\n\nquery OrderStatusById($orderId: ID!) {\n  order(orderId: $orderId) {\n    ...OrderStatusFields\n  }\n}\n\nquery OrderStatusByPoNumber($poNumber: String!) {\n  orderByPoNumber(poNumber: $poNumber) {\n    ...OrderStatusFields\n  }\n}\n\nquery OrderStatusEntities($representations: [_Any!]!) {\n  _entities(representations: $representations) {\n    ... on Order {\n      ...OrderStatusFields\n    }\n  }\n}": typeof types.OrderStatusFieldsFragmentDoc,
    "mutation PlaceAirmilesOrder($input: PlaceAirmilesOrderInput!) {\n  placeAirmilesOrder(input: $input) {\n    ...PlaceOrderPayloadFields\n  }\n}": typeof types.PlaceAirmilesOrderDocument,
    "mutation PlaceTopupOrder($input: PlaceTopupOrderInput!) {\n  placeTopupOrder(input: $input) {\n    ...PlaceOrderPayloadFields\n  }\n}": typeof types.PlaceTopupOrderDocument,
};
const documents: Documents = {
    "query Entities($representations: [_Any!]!) {\n  _entities(representations: $representations) {\n    __typename\n    ... on Order {\n      ...OrderFields\n    }\n  }\n}": types.EntitiesDocument,
    "fragment OrderFields on Order {\n  orderId\n  poNumber\n  kind\n  orderTotal\n  rawOrderTotal\n  orderDiscount\n  rawOrderDiscount\n  discountPercent\n  currencyCode\n  currencyValue\n  amountCharged\n  orderStatus\n  deliveryStatus\n  tag\n  quantity\n  voucherDetails {\n    orderId\n    productId\n    productName\n    currencyCode\n    productStatus\n    denomination\n    vendorLogo\n  }\n  placedAt\n  updatedAt\n}\n\nfragment PlaceOrderPayloadFields on PlaceOrderPayload {\n  outcome\n  errors {\n    code\n    message\n    field\n    upstreamErrorId\n    retryable\n    retryAfterSeconds\n  }\n  order {\n    ...OrderFields\n  }\n}": types.OrderFieldsFragmentDoc,
    "query OrderById($orderId: ID!) {\n  order(orderId: $orderId) {\n    ...OrderFields\n  }\n}": types.OrderByIdDocument,
    "query OrderByPoNumber($poNumber: String!) {\n  orderByPoNumber(poNumber: $poNumber) {\n    ...OrderFields\n  }\n}": types.OrderByPoNumberDocument,
    "fragment OrderStatusFields on Order {\n  orderId\n  poNumber\n  deliveryStatus\n}\n\nfragment PlacementStatusFields on PlaceOrderPayload {\n  outcome\n  order {\n    ...OrderStatusFields\n  }\n  errors {\n    code\n    upstreamErrorId\n    retryable\n  }\n}\n\nmutation PlaceAirmilesOrderStatus($input: PlaceAirmilesOrderInput!) {\n  placeAirmilesOrder(input: $input) {\n    ...PlacementStatusFields\n  }\n}\n\nmutation PlaceTopupOrderStatus($input: PlaceTopupOrderInput!) {\n  placeTopupOrder(input: $input) {\n    ...PlacementStatusFields\n  }\n}\n\nquery OrderStatusById($orderId: ID!) {\n  order(orderId: $orderId) {\n    ...OrderStatusFields\n  }\n}\n\nquery OrderStatusByPoNumber($poNumber: String!) {\n  orderByPoNumber(poNumber: $poNumber) {\n    ...OrderStatusFields\n  }\n}\n\nquery OrderStatusEntities($representations: [_Any!]!) {\n  _entities(representations: $representations) {\n    ... on Order {\n      ...OrderStatusFields\n    }\n  }\n}": types.OrderStatusFieldsFragmentDoc,
    "mutation PlaceAirmilesOrder($input: PlaceAirmilesOrderInput!) {\n  placeAirmilesOrder(input: $input) {\n    ...PlaceOrderPayloadFields\n  }\n}": types.PlaceAirmilesOrderDocument,
    "mutation PlaceTopupOrder($input: PlaceTopupOrderInput!) {\n  placeTopupOrder(input: $input) {\n    ...PlaceOrderPayloadFields\n  }\n}": types.PlaceTopupOrderDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Entities($representations: [_Any!]!) {\n  _entities(representations: $representations) {\n    __typename\n    ... on Order {\n      ...OrderFields\n    }\n  }\n}"): (typeof documents)["query Entities($representations: [_Any!]!) {\n  _entities(representations: $representations) {\n    __typename\n    ... on Order {\n      ...OrderFields\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment OrderFields on Order {\n  orderId\n  poNumber\n  kind\n  orderTotal\n  rawOrderTotal\n  orderDiscount\n  rawOrderDiscount\n  discountPercent\n  currencyCode\n  currencyValue\n  amountCharged\n  orderStatus\n  deliveryStatus\n  tag\n  quantity\n  voucherDetails {\n    orderId\n    productId\n    productName\n    currencyCode\n    productStatus\n    denomination\n    vendorLogo\n  }\n  placedAt\n  updatedAt\n}\n\nfragment PlaceOrderPayloadFields on PlaceOrderPayload {\n  outcome\n  errors {\n    code\n    message\n    field\n    upstreamErrorId\n    retryable\n    retryAfterSeconds\n  }\n  order {\n    ...OrderFields\n  }\n}"): (typeof documents)["fragment OrderFields on Order {\n  orderId\n  poNumber\n  kind\n  orderTotal\n  rawOrderTotal\n  orderDiscount\n  rawOrderDiscount\n  discountPercent\n  currencyCode\n  currencyValue\n  amountCharged\n  orderStatus\n  deliveryStatus\n  tag\n  quantity\n  voucherDetails {\n    orderId\n    productId\n    productName\n    currencyCode\n    productStatus\n    denomination\n    vendorLogo\n  }\n  placedAt\n  updatedAt\n}\n\nfragment PlaceOrderPayloadFields on PlaceOrderPayload {\n  outcome\n  errors {\n    code\n    message\n    field\n    upstreamErrorId\n    retryable\n    retryAfterSeconds\n  }\n  order {\n    ...OrderFields\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query OrderById($orderId: ID!) {\n  order(orderId: $orderId) {\n    ...OrderFields\n  }\n}"): (typeof documents)["query OrderById($orderId: ID!) {\n  order(orderId: $orderId) {\n    ...OrderFields\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query OrderByPoNumber($poNumber: String!) {\n  orderByPoNumber(poNumber: $poNumber) {\n    ...OrderFields\n  }\n}"): (typeof documents)["query OrderByPoNumber($poNumber: String!) {\n  orderByPoNumber(poNumber: $poNumber) {\n    ...OrderFields\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment OrderStatusFields on Order {\n  orderId\n  poNumber\n  deliveryStatus\n}\n\nfragment PlacementStatusFields on PlaceOrderPayload {\n  outcome\n  order {\n    ...OrderStatusFields\n  }\n  errors {\n    code\n    upstreamErrorId\n    retryable\n  }\n}\n\nmutation PlaceAirmilesOrderStatus($input: PlaceAirmilesOrderInput!) {\n  placeAirmilesOrder(input: $input) {\n    ...PlacementStatusFields\n  }\n}\n\nmutation PlaceTopupOrderStatus($input: PlaceTopupOrderInput!) {\n  placeTopupOrder(input: $input) {\n    ...PlacementStatusFields\n  }\n}\n\nquery OrderStatusById($orderId: ID!) {\n  order(orderId: $orderId) {\n    ...OrderStatusFields\n  }\n}\n\nquery OrderStatusByPoNumber($poNumber: String!) {\n  orderByPoNumber(poNumber: $poNumber) {\n    ...OrderStatusFields\n  }\n}\n\nquery OrderStatusEntities($representations: [_Any!]!) {\n  _entities(representations: $representations) {\n    ... on Order {\n      ...OrderStatusFields\n    }\n  }\n}"): (typeof documents)["fragment OrderStatusFields on Order {\n  orderId\n  poNumber\n  deliveryStatus\n}\n\nfragment PlacementStatusFields on PlaceOrderPayload {\n  outcome\n  order {\n    ...OrderStatusFields\n  }\n  errors {\n    code\n    upstreamErrorId\n    retryable\n  }\n}\n\nmutation PlaceAirmilesOrderStatus($input: PlaceAirmilesOrderInput!) {\n  placeAirmilesOrder(input: $input) {\n    ...PlacementStatusFields\n  }\n}\n\nmutation PlaceTopupOrderStatus($input: PlaceTopupOrderInput!) {\n  placeTopupOrder(input: $input) {\n    ...PlacementStatusFields\n  }\n}\n\nquery OrderStatusById($orderId: ID!) {\n  order(orderId: $orderId) {\n    ...OrderStatusFields\n  }\n}\n\nquery OrderStatusByPoNumber($poNumber: String!) {\n  orderByPoNumber(poNumber: $poNumber) {\n    ...OrderStatusFields\n  }\n}\n\nquery OrderStatusEntities($representations: [_Any!]!) {\n  _entities(representations: $representations) {\n    ... on Order {\n      ...OrderStatusFields\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation PlaceAirmilesOrder($input: PlaceAirmilesOrderInput!) {\n  placeAirmilesOrder(input: $input) {\n    ...PlaceOrderPayloadFields\n  }\n}"): (typeof documents)["mutation PlaceAirmilesOrder($input: PlaceAirmilesOrderInput!) {\n  placeAirmilesOrder(input: $input) {\n    ...PlaceOrderPayloadFields\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation PlaceTopupOrder($input: PlaceTopupOrderInput!) {\n  placeTopupOrder(input: $input) {\n    ...PlaceOrderPayloadFields\n  }\n}"): (typeof documents)["mutation PlaceTopupOrder($input: PlaceTopupOrderInput!) {\n  placeTopupOrder(input: $input) {\n    ...PlaceOrderPayloadFields\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;