// The catalogue reads: what a frontend needs before it places an order. Answers come from the cached snapshot
// (never from Plum while one exists) and carry Cache-Control hints up to the next scheduled refresh.
import { GraphQLError, type GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, Directive, FieldResolver, Info, Int, Query, Resolver, Root } from "type-graphql";
import { RequiresScopes } from "../access/RequiresScopes.js";
import { Scope } from "../../auth/caller.js";
import { CatalogueUnavailableError } from "../../catalogue/CatalogueService.js";
import type { CatalogueProduct } from "../../catalogue/product.js";
import { OrderKind } from "../../orders/orderKind.js";
import { hintCatalogue } from "../catalogue/cacheHints.js";
import { toProduct, toTopupOperator } from "../catalogue/toProduct.js";
import type { GraphContext } from "../context.js";
import { Product } from "../types/Product.js";
import { TopupOperator } from "../types/TopupOperator.js";

/** A catalogue read that found no snapshot and could not fetch one. */
export function catalogueUnavailable(): GraphQLError {
  return new GraphQLError("Plum's catalogue is not available yet; try again shortly.", {
    extensions: { code: "UPSTREAM_UNAVAILABLE" },
  });
}

async function fromSnapshot<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof CatalogueUnavailableError) throw catalogueUnavailable();
    throw error;
  }
}

export async function productsOf(entries: CatalogueProduct[], context: GraphContext): Promise<Product[]> {
  const { refreshedAt } = await context.catalogue.snapshot();
  return entries.map((entry) => toProduct(entry, refreshedAt));
}

/** An orderable product by id from the request's batch, or null (operators are not products). */
export async function loadProduct(productId: number, context: GraphContext): Promise<Product | null> {
  const entry = await fromSnapshot(() => context.catalogue.products.load(productId));
  if (entry === null || entry.role !== "product") return null;
  return toProduct(entry, (await context.catalogue.snapshot()).refreshedAt);
}

@Resolver(() => Product)
export class CatalogueQueryResolver {
  @RequiresScopes(Scope.read)
  @Directive("@listSize(assumedSize: 50)")
  @Query(() => [Product], {
    description:
      'The airmiles programmes Plum offers this account (getVouchers, categoryType "miles"), by name; optionally of one country (ISO 3166, e.g. "AE").',
  })
  async airmilesProgrammes(
    @Arg("countryCode", () => String, { nullable: true, description: 'ISO 3166 country code, e.g. "AE".' })
    countryCode: string | null,
    @Ctx() context: GraphContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Product[]> {
    await hintCatalogue(info, context);
    const entries = await fromSnapshot(() =>
      context.catalogue.service.list({ kind: OrderKind.AIRMILES, role: "product", countryCode: countryCode ?? null }),
    );
    return productsOf(entries, context);
  }

  @RequiresScopes(Scope.read)
  @Directive("@listSize(assumedSize: 20)")
  @Query(() => [TopupOperator], {
    description:
      'The mobile operators whose top-up plans Plum offers in a country (getVouchers, categoryType "topup"); each lists its `plans`.',
  })
  async topupOperators(
    @Arg("countryCode", () => String, { description: 'ISO 3166 country code, e.g. "IN".' }) countryCode: string,
    @Ctx() context: GraphContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<TopupOperator[]> {
    await hintCatalogue(info, context);
    const entries = await fromSnapshot(() =>
      context.catalogue.service.list({ kind: OrderKind.TOPUP, role: "operator", countryCode }),
    );
    return entries.map(toTopupOperator);
  }

  @RequiresScopes(Scope.read)
  @Query(() => Product, {
    nullable: true,
    description:
      "One product by Plum's id; null when the catalogue does not know it (an unknown id also makes the subgraph refresh its snapshot soon).",
  })
  async product(
    @Arg("productId", () => Int, { description: "Plum's product id, e.g. 15365." }) productId: number,
    @Ctx() context: GraphContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Product | null> {
    await hintCatalogue(info, context);
    return loadProduct(productId, context);
  }

  @FieldResolver(() => TopupOperator, {
    nullable: true,
    description: "Top-up plans: the operator the plan belongs to.",
  })
  async operator(
    @Root() product: Product,
    @Ctx() context: GraphContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<TopupOperator | null> {
    await hintCatalogue(info, context);
    if (product.kind !== OrderKind.TOPUP || product.parentProductId === null) return null;
    const entry = await fromSnapshot(() => context.catalogue.products.load(product.parentProductId ?? 0));
    return entry === null || entry.role !== "operator" ? null : toTopupOperator(entry);
  }

  @FieldResolver(() => Boolean, {
    description:
      "False when Plum's latest catalogue no longer lists the product: placement refuses it (PRODUCT_UNAVAILABLE).",
  })
  async available(@Root() product: Product, @Ctx() context: GraphContext): Promise<boolean> {
    const entry = await context.catalogue.products.load(product.productId);
    return entry?.active ?? false;
  }
}

@Resolver(() => TopupOperator)
export class TopupOperatorResolver {
  @Directive("@listSize(assumedSize: 10)")
  @FieldResolver(() => [Product], {
    description: "The operator's plans (getVouchers with its parentProductId): the products placeTopupOrder takes.",
  })
  async plans(
    @Root() operator: TopupOperator,
    @Ctx() context: GraphContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Product[]> {
    await hintCatalogue(info, context);
    const entries = await fromSnapshot(() =>
      context.catalogue.service.list({ kind: OrderKind.TOPUP, role: "product", parentProductId: operator.productId }),
    );
    return productsOf(entries, context);
  }
}
