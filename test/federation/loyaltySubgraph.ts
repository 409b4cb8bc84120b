// A test-only second subgraph ("loyalty") that extends the orders subgraph's `Order` entity by its key. It exists to
// make federation real in tests: composition must succeed with another subgraph contributing to Order, and the query
// planner must fetch Order fields across subgraphs through `_entities` (both directions).
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { startStandaloneServer } from "@apollo/server/standalone";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { parse } from "graphql";

export const LOYALTY_SUBGRAPH_NAME = "loyalty";

export const LOYALTY_SDL = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

# Order and its key are the orders subgraph's to describe: a description here too would make composition hint
# INCONSISTENT_DESCRIPTION (and the supergraph would pick one of them).
type Order @key(fields: "orderId") {
  orderId: ID!

  """Loyalty points the order earned (derived from the orderId, so tests can predict it)."""
  loyaltyPoints: Int!
}

# Products are the orders subgraph's: this subgraph only references them by key (resolvable: false).
type Product @key(fields: "productId", resolvable: false) {
  productId: Int!
}

type Query {
  """An order the loyalty programme features: only its key is known here, everything else comes from orders."""
  featuredOrder(orderId: ID!): Order

  """Products the loyalty programme recommends, by key only: their fields come from the orders subgraph's catalogue."""
  recommendedProducts: [Product!]!

  """One product by key, whether or not the catalogue knows it."""
  featuredProduct(productId: Int!): Product
}
`;

/** Deterministic stand-in for a points calculation: any subgraph or test can recompute it from the orderId. */
/** What recommendedProducts answers (the simulator's Etihad Guest and Airtel plan). */
export const RECOMMENDED_PRODUCT_IDS = [15366, 20001];

export function loyaltyPointsFor(orderId: string): number {
  let points = 0;
  for (const char of orderId) points = (points * 31 + char.charCodeAt(0)) % 10_000;
  return points;
}

interface OrderReference {
  orderId: string;
}

export interface LoyaltySubgraph {
  url: string;
  /** orderIds this subgraph was asked to resolve through `_entities`, in order (proves the planner came here). */
  resolvedReferences: string[];
  close(): Promise<void>;
}

export async function startLoyaltySubgraph(): Promise<LoyaltySubgraph> {
  const resolvedReferences: string[] = [];
  const schema = buildSubgraphSchema({
    typeDefs: parse(LOYALTY_SDL),
    resolvers: {
      Query: {
        // A stub with the key only: the planner must fetch every other Order field from the orders subgraph.
        featuredOrder: (_parent: unknown, args: { orderId: string }): OrderReference => ({ orderId: args.orderId }),
        recommendedProducts: (): { productId: number }[] => RECOMMENDED_PRODUCT_IDS.map((productId) => ({ productId })),
        featuredProduct: (_parent: unknown, args: { productId: number }): { productId: number } => ({
          productId: args.productId,
        }),
      },
      Order: {
        __resolveReference: (reference: OrderReference): OrderReference => {
          resolvedReferences.push(reference.orderId);
          return { orderId: reference.orderId };
        },
        loyaltyPoints: (order: OrderReference): number => loyaltyPointsFor(order.orderId),
      },
    },
  });
  // Inline tracing is for GraphOS usage reporting; off, so the server does not announce it on stdout.
  const server = new ApolloServer({ schema, plugins: [ApolloServerPluginInlineTraceDisabled()] });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: "127.0.0.1" } });
  return { url, resolvedReferences, close: () => server.stop() };
}
