// The one way to find the caller's own ledger row by the poNumber they chose. Each caller has their own poNumber
// namespace (orders/poNumberNamespace.ts): the row is looked up by (subject, poNumber), so whether another caller
// used the same poNumber is never revealed. Admins may also name a poNumber as Plum knows it (its dashboard).
import { canSee, Scope, type Caller } from "../auth/caller.js";
import type { OrderRecord } from "./orderRecord.js";
import type { PlacementStore } from "./placement/ports.js";

export interface CallerRowStore extends Pick<PlacementStore, "findByPlumPoNumber"> {
  /** The row the caller `subject` (null: no authentication) placed under their own `poNumber`. */
  findByCallerPoNumber(subject: string | null, poNumber: string): Promise<OrderRecord | null>;
}

/** The row placed under the caller's `poNumber` if the caller may see it (theirs, or any for orders:admin); else null. */
export async function findCallerRow(
  store: CallerRowStore,
  poNumber: string,
  caller: Caller,
): Promise<OrderRecord | null> {
  const admin = caller.scopes.has(Scope.admin);
  const row =
    (await store.findByCallerPoNumber(caller.subject, poNumber)) ??
    (admin && caller.subject !== null ? await store.findByPlumPoNumber(poNumber) : null);
  return row !== null && canSee(caller, row) ? row : null;
}
