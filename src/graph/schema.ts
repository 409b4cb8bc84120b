// The orders subgraph schema, built code-first.
import { printSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLSchema } from "graphql";
import { authChecker } from "./authChecker.js";
import { buildFederatedSchema } from "./federation/buildFederatedSchema.js";
import { OrderMutationResolver } from "./resolvers/OrderMutationResolver.js";
import { BulkPlacementResolver } from "./resolvers/BulkPlacementResolver.js";
import { OrderHistoryResolver } from "./resolvers/OrderHistoryResolver.js";
import { OrderQueryResolver } from "./resolvers/OrderQueryResolver.js";
import { ReconciliationResolver } from "./resolvers/ReconciliationResolver.js";
import { OperatorResolver } from "./resolvers/OperatorResolver.js";
import { CatalogueQueryResolver, TopupOperatorResolver } from "./resolvers/CatalogueQueryResolver.js";
import { PreOrderResolver } from "./resolvers/PreOrderResolver.js";
import { resolveProductReference } from "./resolvers/productReference.js";
import { VoucherDetailResolver } from "./resolvers/VoucherDetailResolver.js";
import { resolveOrderReference } from "./resolvers/orderReference.js";
import { Order } from "./types/Order.js";
import { Product } from "./types/Product.js";

export function buildOrdersSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      resolvers: [
        OrderMutationResolver,
        BulkPlacementResolver,
        OrderQueryResolver,
        OrderHistoryResolver,
        ReconciliationResolver,
        OperatorResolver,
        CatalogueQueryResolver,
        TopupOperatorResolver,
        PreOrderResolver,
        VoucherDetailResolver,
      ],
      orphanedTypes: [Order, Product],
      authChecker,
      // Validation runs in the resolvers so failures become payload errors, not GraphQL errors.
      validate: false,
    },
    { Order: { __resolveReference: resolveOrderReference }, Product: { __resolveReference: resolveProductReference } },
  );
}

/** The subgraph SDL as committed in schema/ and checked by rover (with @link and @key). */
export async function printOrdersSubgraphSdl(): Promise<string> {
  return `${printSubgraphSchema(await buildOrdersSchema()).trim()}\n`;
}
