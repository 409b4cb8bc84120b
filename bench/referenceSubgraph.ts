// The framework ceiling: what plain Apollo Server 5 + @apollo/subgraph costs for the same mutation, with nothing of
// the service's own (no type-graphql, no validation, no ledger, no auth, no logging, no metrics). It forwards the
// order to Plum with an undici Pool, as the service does, and answers a minimal payload.
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { startStandaloneServer } from "@apollo/server/standalone";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { parse } from "graphql";
import { Pool } from "undici";
import {
  PLUM_TAG,
  PlumOperation,
  type GetOrderDetailsData,
  type PlaceOrderData,
  type PlumOrderWire,
  type PlumSuccessEnvelope,
} from "../src/plum/wire.js";

// Mirrors the service's placeAirmilesOrder: same argument type, same payload shape, fewer Order fields.
const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  type Order @key(fields: "orderId") {
    orderId: ID!
    poNumber: String
    deliveryStatus: String
    amountCharged: Float
    currencyCode: String
  }

  enum PlaceOrderOutcome { PLACED REPLAYED PENDING REJECTED }

  type OrderError {
    code: String!
    message: String!
  }

  type PlaceOrderPayload {
    order: Order
    outcome: PlaceOrderOutcome!
    errors: [OrderError!]!
  }

  input AirmilesUserMetaInput { loyaltyMemberId: String! }

  input PlaceAirmilesOrderInput {
    productId: Int!
    quantity: Int! = 1
    denomination: Float!
    email: String!
    contact: String
    tag: String
    poNumber: String!
    notifyReceiverEmail: Boolean! = false
    notifyAdminEmail: Boolean! = false
    userMeta: AirmilesUserMetaInput!
  }

  type Query { order(orderId: ID!): Order }

  type Mutation { placeAirmilesOrder(input: PlaceAirmilesOrderInput!): PlaceOrderPayload! }
`);

interface AirmilesInput {
  productId: number;
  quantity: number;
  denomination: number;
  email: string;
  contact?: string | null;
  tag?: string | null;
  poNumber: string;
  notifyReceiverEmail: boolean;
  notifyAdminEmail: boolean;
  userMeta: { loyaltyMemberId: string };
}

interface MinimalOrder {
  orderId: string;
  poNumber: string | null;
  deliveryStatus: string | null;
  amountCharged: number | null;
  currencyCode: string | null;
}

type Payload =
  | { outcome: "PLACED"; order: MinimalOrder; errors: [] }
  | { outcome: "REJECTED"; order: null; errors: { code: string; message: string }[] };

export interface ReferenceOptions {
  apiUrl: string;
  accessToken: string;
  port: number;
  /** The service's default XOXODAY_MAX_CONNECTIONS, so both queue toward Plum alike. */
  maxConnections: number;
}

function toMinimalOrder(order: PlumOrderWire): MinimalOrder {
  const number = (value: unknown) =>
    typeof value === "number" ? value : typeof value === "string" && value !== "" ? Number(value) : null;
  return {
    orderId: String(order.orderId),
    poNumber: order.poNumber ?? null,
    deliveryStatus: order.deliveryStatus ?? null,
    amountCharged: number(order.amountCharged),
    currencyCode: order.currencyCode ?? null,
  };
}

export async function startReferenceSubgraph(
  options: ReferenceOptions,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const api = new URL(options.apiUrl);
  const pool = new Pool(api.origin, { connections: options.maxConnections, pipelining: 1, keepAliveTimeout: 10_000 });
  const path = `${api.pathname}${api.search}`;

  /** One Plum operation over the pool: its status code and the order in its envelope (undefined unless HTTP 200). */
  const callPlum = async (
    operation: "placeOrder" | "getOrderDetails",
    data: object,
  ): Promise<{ statusCode: number; order: PlumOrderWire | null | undefined }> => {
    const response = await pool.request({
      path,
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json",
        authorization: `Bearer ${options.accessToken}`,
      },
      body: JSON.stringify({ query: PlumOperation[operation], tag: PLUM_TAG, variables: { data } }),
    });
    const text = await response.body.text();
    const order =
      response.statusCode === 200 ? (JSON.parse(text) as PlumSuccessEnvelope).data[operation]?.data : undefined;
    return { statusCode: response.statusCode, order };
  };

  const placeAirmilesOrder = async (_parent: unknown, args: { input: AirmilesInput }): Promise<Payload> => {
    const input = args.input;
    const data: PlaceOrderData = {
      productId: input.productId,
      quantity: input.quantity,
      denomination: input.denomination,
      email: input.email,
      poNumber: input.poNumber,
      notifyReceiverEmail: input.notifyReceiverEmail ? 1 : 0,
      notifyAdminEmail: input.notifyAdminEmail ? 1 : 0,
      userMeta: { loyaltyMemberId: input.userMeta.loyaltyMemberId },
    };
    const { statusCode, order } = await callPlum("placeOrder", data);
    if (order === undefined || order === null) {
      return {
        outcome: "REJECTED",
        order: null,
        errors: [{ code: "UPSTREAM_REJECTED", message: `HTTP ${statusCode}` }],
      };
    }
    return { outcome: "PLACED", order: toMinimalOrder(order), errors: [] };
  };

  // Reads without a ledger: every order, by `order(orderId)` or as an entity, is one getOrderDetails call to Plum.
  const getOrder = async (orderId: string): Promise<MinimalOrder | null> => {
    const data: GetOrderDetailsData = { orderId, poNumber: "", sendMailToReceiver: 0 };
    const { order } = await callPlum("getOrderDetails", data);
    return order === undefined || order === null ? null : toMinimalOrder(order);
  };
  const server = new ApolloServer({
    schema: buildSubgraphSchema({
      typeDefs,
      resolvers: {
        Query: { order: (_parent: unknown, args: { orderId: string }) => getOrder(args.orderId) },
        Mutation: { placeAirmilesOrder },
        Order: { __resolveReference: (reference: { orderId: string }) => getOrder(reference.orderId) },
      },
    }),
    introspection: false,
    persistedQueries: false,
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginLandingPageDisabled()],
  });
  const { url } = await startStandaloneServer(server, { listen: { port: options.port, host: "127.0.0.1" } });
  return {
    url,
    stop: async () => {
      await server.stop();
      await pool.close();
    },
  };
}
