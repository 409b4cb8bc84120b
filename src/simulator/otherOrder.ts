// The lookupAnswersOther fault: getOrderDetails answers status 1, but with an order that is not the one asked
// for. A client that reconciles an unknown outcome by poNumber must compare what comes back (poNumber, recipient)
// before treating it as its own order; these answers are what it has to catch.
import { SIMULATOR_PRODUCTS, type SimProduct } from "./catalogue.js";
import type { OtherOrderMode } from "./faults.js";
import { detailsReply, lookUp, type AskedKeys } from "./getOrderDetails.js";
import type { LookupView } from "./lookupView.js";
import type { SimOrder } from "./orderBook.js";
import { pricedFields } from "./pricedFields.js";
import type { SimReply } from "./responses.js";

/** Fabricated orders are never stored, so they carry an id far from the book's default range (98765432…). */
const FABRICATED_ORDER_ID = 90_000_001;
const FABRICATED_DENOMINATION = 50;

function templateProduct(): SimProduct {
  const product = SIMULATOR_PRODUCTS.find((candidate) => candidate.activated && candidate.category === "airmiles");
  if (product === undefined) throw new Error("the simulator catalogue has no activated airmiles product");
  return product;
}

/** A plausible delivered airmiles order that is not in the book. */
function fabricatedOrder(orderId: number, poNumber: string): SimOrder {
  const product = templateProduct();
  const now = new Date();
  return {
    orderId,
    poNumber,
    ...pricedFields(product, FABRICATED_DENOMINATION, 1),
    tag: "",
    email: "fabricated.order@example.com",
    contact: null,
    userMeta: { loyaltyMemberId: "900000009" },
    orderDate: now,
    deliveryStatus: "delivered",
    deliveryDate: now,
  };
}

function fabricatedId(avoid: number | null | undefined): number {
  return avoid === FABRICATED_ORDER_ID ? FABRICATED_ORDER_ID + 1 : FABRICATED_ORDER_ID;
}

function differentFrom(value: string, candidate: string, alternative: string): string {
  return value === candidate ? alternative : candidate;
}

/** The newest visible order that differs from the asked one in both orderId and poNumber, else a fabricated one. */
function otherPoNumberOrder(view: LookupView, asked: AskedKeys, found: SimOrder | undefined): SimOrder {
  const poNumber = asked.poNumber !== "" ? asked.poNumber : (found?.poNumber ?? "");
  const orderId = found?.orderId ?? asked.orderId;
  const existing = view
    .all()
    .filter((order) => order.orderId !== orderId && (poNumber === "" || order.poNumber !== poNumber));
  const newest = existing.at(-1);
  if (newest !== undefined) return newest;
  const otherPo = poNumber === "" ? "SIM-OTHER" : `${poNumber}-OTHER`;
  const id = fabricatedId(orderId);
  return found === undefined ? fabricatedOrder(id, otherPo) : { ...found, orderId: id, poNumber: otherPo };
}

/**
 * The asked order (fabricated under the asked keys when there is none) with every orderMeta field changed: email,
 * contact and the category's recipient (loyaltyMemberId / topupPhoneNumber). Plum carries the recipient only in
 * `orderMeta` (docs/plum-api.md §4.1, §4.2), so that is the whole of what a client can compare.
 */
function otherRecipientOrder(asked: AskedKeys, found: SimOrder | undefined): SimOrder {
  const order = found ?? fabricatedOrder(asked.orderId ?? fabricatedId(null), asked.poNumber);
  const userMeta: Record<string, string> = { ...order.userMeta };
  const loyaltyMemberId = userMeta["loyaltyMemberId"];
  if (loyaltyMemberId !== undefined)
    userMeta["loyaltyMemberId"] = differentFrom(loyaltyMemberId, "900000001", "900000002");
  const topupPhoneNumber = userMeta["topupPhoneNumber"];
  if (topupPhoneNumber !== undefined)
    userMeta["topupPhoneNumber"] = differentFrom(topupPhoneNumber, "9900000001", "9900000002");
  return {
    ...order,
    email: differentFrom(order.email, "someone.else@example.com", "another.person@example.com"),
    contact: order.contact === null ? null : differentFrom(order.contact, "+1-5550000001", "+1-5550000002"),
    userMeta,
  };
}

/** getOrderDetails under the fault. Malformed look-ups are still refused: the fault mixes up orders, not validation. */
export function getOtherOrderDetails(data: unknown, view: LookupView, mode: OtherOrderMode): SimReply {
  const found = lookUp(data, view);
  if (!found.ok) return found.reply;
  const other =
    mode === "otherRecipient"
      ? otherRecipientOrder(found.asked, found.order)
      : otherPoNumberOrder(view, found.asked, found.order);
  return detailsReply(other);
}
