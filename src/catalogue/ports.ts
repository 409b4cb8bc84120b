// What the catalogue needs from the outside: a store for the snapshot (the ledger's database implements it, both
// engines) and Plum's read operations (the Plum client implements it).
import type { OrderKind } from "../orders/orderKind.js";
import type { PlumReadResult } from "../plum/readResult.js";
import type { CatalogueMeta, CatalogueProduct } from "./product.js";

export interface RefreshCondition {
  /** Refresh only if the snapshot was committed before this (null: however fresh it is). */
  refreshedBefore: Date | null;
  /** …and no refresh was attempted (by any replica) at or after this: spaces retries and on-demand refreshes. */
  attemptedBefore: Date;
  /** …and `day`'s getVouchers calls so far are at most `maxUsed` (the daily budget, shared by every replica). */
  budget: { day: string; maxUsed: number };
}

/** The getVouchers calls one refresh made, counted against its UTC day. */
export interface CallUsage {
  day: string;
  calls: number;
}

export interface CatalogueStore {
  meta(): Promise<CatalogueMeta>;
  /** One query for any number of ids (entity batches); products and operators alike, active or not. */
  findProducts(productIds: readonly number[]): Promise<CatalogueProduct[]>;
  /** Active entries of one kind and role, optionally of one country or one parent operator, by name. */
  list(filter: ListFilter): Promise<CatalogueProduct[]>;
  /**
   * Single flight across replicas: takes the refresh lease when nobody holds a live one and `condition` holds,
   * recording the attempt's start. false: someone else is refreshing, or no refresh is due.
   */
  beginRefresh(owner: string, leaseMs: number, condition: RefreshCondition, now: Date): Promise<boolean>;
  /**
   * Commits a complete snapshot in one transaction, if `owner` still holds the lease: entries not in `products`
   * stay, marked inactive (a withdrawn product is refused, not forgotten). Releases the lease. false: lease lost.
   */
  commitRefresh(owner: string, products: readonly CatalogueProduct[], now: Date, usage: CallUsage): Promise<boolean>;
  /** Releases the lease after a failed refresh (counting its calls); the snapshot is untouched. */
  failRefresh(owner: string, now: Date, usage: CallUsage): Promise<void>;
}

export interface ListFilter {
  kind: OrderKind;
  role: "product" | "operator";
  countryCode?: string | null;
  parentProductId?: number | null;
}

export interface CataloguePlum {
  read(operation: "getVouchers" | "lookupMobileNumber" | "getBalance", data: object): Promise<PlumReadResult>;
}
