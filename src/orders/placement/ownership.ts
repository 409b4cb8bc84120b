// Is the order a look-up returned ours? Only a field Plum reports can prove it is not: a missing field proves
// nothing, and wrongly calling our own order someone else's would park it for an operator (never lose it).
import { toInt, toNumber, toText } from "../../plum/lenient.js";
import type { PlaceOrderData, PlumOrderWire } from "../../plum/wire.js";

export function isOurOrder(poNumber: string, sent: PlaceOrderData | null, order: PlumOrderWire): boolean {
  // Plum's "" is no poNumber, which proves nothing.
  const theirs = toText(order.poNumber);
  if (theirs !== null && theirs !== poNumber) return false;
  if (sent === null) return true;
  const email = order.orderMeta?.["email"];
  if (typeof email === "string" && email !== "" && email.toLowerCase() !== sent.email.toLowerCase()) return false;
  const differs = (theirs: number | null, ours: number) => theirs !== null && theirs !== ours;
  const item = order.voucherDetails?.[0];
  return !(
    differs(toInt(item?.productId), sent.productId) ||
    differs(toNumber(item?.denomination), sent.denomination) ||
    differs(toInt(order.quantity), sent.quantity)
  );
}
