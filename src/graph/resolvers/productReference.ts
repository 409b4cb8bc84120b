// `Product`'s reference resolver: other subgraphs reference products by productId and the router fetches their
// fields through `_entities`; the request's loader batches every representation into one snapshot query.
import type { GraphQLResolveInfo } from "graphql";
import { Scope } from "../../auth/caller.js";
import { requireScopes } from "../authChecker.js";
import { hintCatalogue } from "../catalogue/cacheHints.js";
import type { GraphContext } from "../context.js";
import type { Product } from "../types/Product.js";
import { loadProduct } from "./CatalogueQueryResolver.js";

export async function resolveProductReference(
  reference: Pick<Product, "productId">,
  context: GraphContext,
  info: GraphQLResolveInfo,
): Promise<Product | null> {
  requireScopes(context, [Scope.read]);
  await hintCatalogue(info, context);
  const productId = Number(reference.productId);
  return Number.isSafeInteger(productId) ? loadProduct(productId, context) : null;
}
