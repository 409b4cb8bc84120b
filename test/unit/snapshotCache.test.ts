// The pre-flight's in-process copy of the catalogue snapshot: bounded staleness, a new stamp drops the products,
// a read that raced a drop does not refill the new map, misses and a missing snapshot are never kept.
import { describe, expect, it } from "vitest";
import type { CatalogueMeta, CatalogueProduct } from "../../src/catalogue/product.js";
import { SnapshotCache } from "../../src/catalogue/snapshotCache.js";
import { OrderKind } from "../../src/orders/orderKind.js";

function product(productId: number, active: boolean): CatalogueProduct {
  return {
    productId,
    name: "p",
    kind: OrderKind.AIRMILES,
    role: "product",
    description: null,
    imageUrl: null,
    countryCode: null,
    currencyCode: "USD",
    valueType: "OPEN_VALUE",
    denominations: [],
    minValue: null,
    maxValue: null,
    quantityLimit: null,
    deliveryType: null,
    feePercent: null,
    discountPercent: null,
    exchangeRate: null,
    loyaltyProgramme: null,
    loyaltyConversion: null,
    parentProductId: null,
    termsAndConditions: null,
    active,
  };
}

function fakeStore() {
  const state = {
    refreshedAt: new Date(1_000) as Date | null,
    products: new Map<number, CatalogueProduct>([[1, product(1, true)]]),
    metaReads: 0,
    productReads: 0,
    /** Runs while a product read is in flight (to interleave a refresh). */
    duringProductRead: null as (() => void) | null,
  };
  const store = {
    meta: async (): Promise<CatalogueMeta> => {
      state.metaReads += 1;
      return {
        refreshedAt: state.refreshedAt,
        lastAttemptAt: null,
        lastFailureAt: null,
        lastRefreshCalls: null,
        budgetDay: null,
        budgetCalls: 0,
      };
    },
    findProducts: async (ids: readonly number[]): Promise<CatalogueProduct[]> => {
      state.productReads += 1;
      const found = ids.flatMap((id) => state.products.get(id) ?? []);
      state.duringProductRead?.();
      return found;
    },
  };
  return { state, store };
}

describe("SnapshotCache", () => {
  it("reads the stamp at most once per staleness window and keeps products of that snapshot", async () => {
    const { state, store } = fakeStore();
    let clock = 0;
    const cache = new SnapshotCache(store, 1_000, () => clock);
    await cache.meta();
    expect((await cache.product(1))?.active).toBe(true);
    await cache.meta();
    await cache.product(1);
    expect(state).toMatchObject({ metaReads: 1, productReads: 1 });
    // Another replica withdraws product 1: seen once the window has passed, never later.
    state.refreshedAt = new Date(2_000);
    state.products.set(1, product(1, false));
    clock = 1_001;
    await cache.meta();
    expect((await cache.product(1))?.active).toBe(false);
    expect(state).toMatchObject({ metaReads: 2, productReads: 2 });
  });

  it("invalidate drops everything at once (this replica's own refresh)", async () => {
    const { state, store } = fakeStore();
    const cache = new SnapshotCache(store, 60_000, () => 0);
    await cache.meta();
    await cache.product(1);
    state.refreshedAt = new Date(2_000);
    state.products.set(1, product(1, false));
    cache.invalidate();
    expect((await cache.meta()).refreshedAt).toEqual(new Date(2_000));
    expect((await cache.product(1))?.active).toBe(false);
  });

  it("a product read that raced a drop is returned but not kept", async () => {
    const { state, store } = fakeStore();
    const cache = new SnapshotCache(store, 60_000, () => 0);
    await cache.meta();
    state.duringProductRead = () => {
      state.duringProductRead = null;
      state.products.set(1, product(1, false));
      cache.invalidate();
    };
    expect((await cache.product(1))?.active).toBe(true);
    expect((await cache.product(1))?.active).toBe(false);
    expect(state.productReads).toBe(2);
  });

  it("keeps neither a missing snapshot nor an unknown product", async () => {
    const { state, store } = fakeStore();
    state.refreshedAt = null;
    const cache = new SnapshotCache(store, 60_000, () => 0);
    await cache.meta();
    await cache.meta();
    expect(await cache.product(9)).toBeUndefined();
    expect(await cache.product(9)).toBeUndefined();
    expect(state).toMatchObject({ metaReads: 2, productReads: 2 });
  });

  it("callers that find the stamp due share one read", async () => {
    const { state, store } = fakeStore();
    const cache = new SnapshotCache(store, 1_000, () => 0);
    await Promise.all([cache.meta(), cache.meta(), cache.meta()]);
    expect(state.metaReads).toBe(1);
  });
});
