// A refresh that would withdraw a whole group at once (every airmiles programme, every top-up operator, or every
// plan of an operator) is far likelier a bad answer from Plum (one PLE10030 "No Vouchers Found", a capped page)
// than a real withdrawal, and committing it would refuse every valid order of that group until the next slot. Such
// a refresh fails instead, and the last good snapshot stays.
import { OrderKind } from "../orders/orderKind.js";
import type { CatalogueProduct } from "./product.js";

type Group = string;

function groupOf(product: CatalogueProduct): Group {
  if (product.kind === OrderKind.AIRMILES) return "airmiles programmes";
  if (product.role === "operator") return "top-up operators";
  return `plans of operator ${product.parentProductId ?? "unknown"}`;
}

/**
 * The first group that has active entries now and is absent from `fetched`; null when the refresh withdraws no
 * group. A group Plum lists with every entry flagged inactive is an explicit answer, not a missing one.
 */
export function wholesaleWithdrawal(
  active: readonly CatalogueProduct[],
  fetched: readonly CatalogueProduct[],
): Group | null {
  const kept = new Set(fetched.map(groupOf));
  for (const product of active) {
    if (!product.active) continue;
    const group = groupOf(product);
    if (!kept.has(group)) return group;
  }
  return null;
}
