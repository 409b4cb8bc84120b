// Per-request access to the catalogue snapshot: products batched by id (one snapshot query per request's batch,
// for `_entities` and VoucherDetail.product alike) and the snapshot's age read once.
import DataLoader from "dataloader";
import type { CatalogueService } from "../../catalogue/CatalogueService.js";
import type { CatalogueMeta, CatalogueProduct } from "../../catalogue/product.js";

export class CatalogueReads {
  readonly products: DataLoader<number, CatalogueProduct | null>;
  private meta: Promise<CatalogueMeta> | null = null;
  private maxAge: Promise<number> | null = null;

  constructor(readonly service: CatalogueService) {
    this.products = new DataLoader(
      async (ids) => {
        const found = await service.findProducts(ids);
        return ids.map((id) => found.get(id) ?? null);
      },
      { maxBatchSize: 500 },
    );
  }

  snapshot(): Promise<CatalogueMeta> {
    this.meta ??= this.service.meta();
    return this.meta;
  }

  /** Seconds catalogue answers may be cached (up to the next scheduled refresh). */
  maxAgeSeconds(): Promise<number> {
    this.maxAge ??= this.service.maxAgeSeconds();
    return this.maxAge;
  }
}
