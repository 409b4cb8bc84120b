// `orders(first, after, filter)`: the caller's placed orders (everyone's for admins), newest first, one keyset page
// at a time. Reads never call Plum: only PLACED rows are listed.
import { Scope, type Caller } from "../../auth/caller.js";
import type { OrderRecord } from "../orderRecord.js";
import { decodeCursor, encodeCursor, InvalidCursorError, queryDigest } from "./orderCursor.js";
import type { ListScope, OrderListFilter, OrderListStore } from "./ports.js";

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface OrderPage {
  edges: { cursor: string; record: OrderRecord }[];
  hasNextPage: boolean;
  endCursor: string | null;
  totalCount: number;
}

export class InvalidPageSizeError extends Error {
  constructor() {
    super("`first` must be a positive number of orders (pages hold at most 100).");
    this.name = "InvalidPageSizeError";
  }
}

/** Whose orders a caller lists; null when the caller has no subject to list by (and is no admin). */
export function listScopeOf(caller: Caller): ListScope | null {
  if (caller.scopes.has(Scope.admin)) return { everyone: true };
  return caller.subject === null ? null : { subject: caller.subject };
}

export class OrderList {
  constructor(private readonly store: OrderListStore) {}

  /** `first` above MAX_PAGE_SIZE is capped to it; below 1 it is an input error. */
  async page(caller: Caller, requested: number, after: string | null, filter: OrderListFilter): Promise<OrderPage> {
    if (!Number.isInteger(requested) || requested < 1) throw new InvalidPageSizeError();
    const first = Math.min(requested, MAX_PAGE_SIZE);
    const scope = listScopeOf(caller);
    if (scope === null) {
      if (after !== null) throw new InvalidCursorError();
      return { edges: [], hasNextPage: false, endCursor: null, totalCount: 0 };
    }
    const digest = queryDigest(scope, filter);
    const anchor = after === null ? null : decodeCursor(after, digest);
    // One row more than the page says whether another page follows.
    const [listed, totalCount] = await Promise.all([
      this.store.listPlaced({ scope, filter, after: anchor, limit: first + 1 }),
      this.store.countPlaced(scope, filter),
    ]);
    if (!listed.anchorFound) throw new InvalidCursorError();
    const rows = listed.rows.slice(0, first);
    const edges = rows.map(({ record, sortKey }) => ({
      cursor: encodeCursor({ sortKey, poNumber: record.poNumber }, digest),
      record,
    }));
    return { edges, hasNextPage: listed.rows.length > first, endCursor: edges.at(-1)?.cursor ?? null, totalCount };
  }
}
