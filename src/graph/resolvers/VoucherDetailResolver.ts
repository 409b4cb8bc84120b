// VoucherDetail.product: the catalogue entry of an order's item, batched across the whole response.
import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { GraphContext } from "../context.js";
import { Product } from "../types/Product.js";
import { VoucherDetail } from "../types/VoucherDetail.js";
import { loadProduct } from "./CatalogueQueryResolver.js";

@Resolver(() => VoucherDetail)
export class VoucherDetailResolver {
  @FieldResolver(() => Product, {
    nullable: true,
    description: "The item's product in the catalogue; null when the catalogue does not know the id.",
  })
  async product(@Root() detail: VoucherDetail, @Ctx() context: GraphContext): Promise<Product | null> {
    // Order data is never cached, so no hint here; a catalogue outage leaves the order readable.
    return loadProduct(detail.productId, context).catch(() => null);
  }
}
