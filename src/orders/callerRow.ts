// The one way to find the caller's own ledger row by poNumber. Placements are keyed by poNumber today; when the
// ledger keys them by (subject, poNumber), this is the function to switch.
import { canSee, type Caller } from "../auth/caller.js";
import type { OrderRecord } from "./orderRecord.js";
import type { PlacementStore } from "./placement/ports.js";

/** The row placed under `poNumber` if the caller may see it (theirs, or any for orders:admin); else null. */
export async function findCallerRow(store: Pick<PlacementStore, "findByPoNumber">, poNumber: string, caller: Caller): Promise<OrderRecord | null> {
  const row = await store.findByPoNumber(poNumber);
  return row !== null && canSee(caller, row) ? row : null;
}
