// What listing the caller's orders needs from the ledger. The orders layer owns these shapes; storage implements them.
import type { OrderKind } from "../orderKind.js";
import type { OrderRecord } from "../orderRecord.js";

export interface OrderListFilter {
  kind: OrderKind | null;
  /** Normalised lower case (normaliseDeliveryStatus); matched against the order's current status. */
  deliveryStatus: string | null;
  tag: string | null;
  /** placedAt ≥ placedFrom. */
  placedFrom: Date | null;
  /** placedAt < placedTo. */
  placedTo: Date | null;
}

/** Whose orders: one subject's, or everyone's (admins). */
export type ListScope = { subject: string } | { everyone: true };

/** The last row of the previous page: its position in the (created_at, po_number) order. */
export interface ListAnchor {
  /** The ledger's exact sort value of created_at (engine-specific text: epoch ms or µs). */
  sortKey: string;
  poNumber: string;
}

export interface OrderListQuery {
  scope: ListScope;
  filter: OrderListFilter;
  after: ListAnchor | null;
  /** Rows to return (the caller asks one more than a page to learn whether another page follows). */
  limit: number;
}

export interface ListedOrder {
  record: OrderRecord;
  sortKey: string;
}

export interface OrderListStore {
  /**
   * PLACED orders in scope matching the filter, newest first by (created_at, po_number), strictly after the anchor,
   * through the list indexes (no OFFSET). `anchorFound` is false when the anchor is not a placed row in this scope:
   * the cursor was forged or belongs to someone else.
   */
  listPlaced(query: OrderListQuery): Promise<{ anchorFound: boolean; rows: ListedOrder[] }>;
  /** Exact count of what listPlaced would page through. */
  countPlaced(scope: ListScope, filter: OrderListFilter): Promise<number>;
}
