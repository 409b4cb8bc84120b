// The pre-flight's view of the snapshot, held in process so a placement does not read the catalogue from the
// database every time. Products are kept per snapshot (keyed by its refreshedAt stamp): the stamp is re-read at most
// every `maxStalenessMs`, and a new stamp drops every product kept. This replica's own refreshes drop them at once
// (invalidate); another replica's refresh is seen within maxStalenessMs (plus one query), which is the bound on how
// long a product withdrawn elsewhere can still pass the pre-flight. Misses are never kept: an unknown product is
// looked up again on its next order, as before.
import type { CatalogueStore } from "./ports.js";
import type { CatalogueMeta, CatalogueProduct } from "./product.js";

interface HeldMeta {
  meta: CatalogueMeta;
  readAt: number;
}

export class SnapshotCache {
  private held: HeldMeta | null = null;
  private reading: Promise<CatalogueMeta> | null = null;
  private products = new Map<number, CatalogueProduct>();
  /** Bumped whenever the kept products are dropped: a read that started before must not fill the new map. */
  private generation = 0;

  constructor(
    private readonly store: Pick<CatalogueStore, "meta" | "findProducts">,
    private readonly maxStalenessMs: number,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** The snapshot's meta, at most maxStalenessMs old; a missing snapshot is never kept (the first one shows at once). */
  async meta(): Promise<CatalogueMeta> {
    const held = this.held;
    if (held !== null && this.clock() - held.readAt <= this.maxStalenessMs) return held.meta;
    // One read in flight for every caller that finds the stamp due.
    this.reading ??= this.readMeta().finally(() => {
      this.reading = null;
    });
    return this.reading;
  }

  /** The product from the snapshot `meta()` last returned (or a newer one); undefined: not in the snapshot. */
  async product(productId: number): Promise<CatalogueProduct | undefined> {
    const kept = this.products.get(productId);
    if (kept !== undefined) return kept;
    const generation = this.generation;
    const [found] = await this.store.findProducts([productId]);
    if (found !== undefined && generation === this.generation) this.products.set(productId, found);
    return found;
  }

  /** Drops everything kept (this replica committed a new snapshot). */
  invalidate(): void {
    this.held = null;
    this.drop();
  }

  private async readMeta(): Promise<CatalogueMeta> {
    const readAt = this.clock();
    const generation = this.generation;
    const meta = await this.store.meta();
    // Dropped meanwhile (a refresh of ours committed): this stamp may be the old one; the next read decides.
    if (generation !== this.generation) return meta;
    const before = this.held?.meta.refreshedAt?.getTime() ?? null;
    if (meta.refreshedAt === null || meta.refreshedAt.getTime() !== before) this.drop();
    this.held = meta.refreshedAt === null ? null : { meta, readAt };
    return meta;
  }

  private drop(): void {
    this.products = new Map();
    this.generation += 1;
  }
}
