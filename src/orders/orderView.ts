// Maps a ledger record (Plum's order data, parsed leniently) to the typed order the graph exposes.
import { toId, toInt, toNumber, toText } from "../plum/lenient.js";
export { parsePlumDate } from "../plum/plumDate.js";
import type { PlumOrderWire, PlumVoucherDetailWire } from "../plum/wire.js";
import type { ServedOrder } from "./orderRecord.js";
import type { OrderKind } from "./orderKind.js";

export interface VoucherDetailView {
  orderId: string;
  productId: number;
  productName: string | null;
  currencyCode: string | null;
  productStatus: string | null;
  denomination: number | null;
  vendorLogo: string | null;
}

export interface OrderView {
  orderId: string;
  poNumber: string | null;
  kind: OrderKind | null;
  orderTotal: number | null;
  rawOrderTotal: number | null;
  orderDiscount: number | null;
  rawOrderDiscount: number | null;
  discountPercent: number | null;
  currencyCode: string | null;
  currencyValue: number | null;
  amountCharged: number | null;
  orderStatus: string | null;
  deliveryStatus: string | null;
  tag: string | null;
  quantity: number | null;
  voucherDetails: VoucherDetailView[];
  placedAt: Date | null;
  updatedAt: Date | null;
  /** Who placed it (not exposed; used for authorization). */
  subject: string | null;
}

function toVoucher(
  wire: PlumVoucherDetailWire,
  orderId: string,
  fallbackProductId: number | null,
): VoucherDetailView | null {
  const productId = toInt(wire.productId) ?? fallbackProductId;
  if (productId === null) return null;
  return {
    orderId: toId(wire.orderId) ?? orderId,
    productId,
    productName: toText(wire.productName),
    currencyCode: toText(wire.currencyCode),
    productStatus: toText(wire.productStatus),
    denomination: toNumber(wire.denomination),
    vendorLogo: toText(wire.vendorLogo),
  };
}

const KNOWN_DELIVERY_STATUSES: Record<string, string> = {
  delivered: "delivered",
  pending: "pending",
  cancelled: "cancelled",
  canceled: "cancelled",
};

/**
 * Plum's documented statuses, matched case-insensitively with both spellings of cancelled merged (its pages use
 * `Delivered`, `canceled` and `cancelled`); any other value passes through unchanged.
 */
export function normaliseDeliveryStatus(status: string): string {
  return KNOWN_DELIVERY_STATUSES[status.trim().toLowerCase()] ?? status;
}

const normaliseStatus = (status: string | null) => (status === null ? null : normaliseDeliveryStatus(status));

export function mapOrder(order: PlumOrderWire, orderId: string, fallbackProductId: number | null) {
  return {
    orderTotal: toNumber(order.orderTotal),
    rawOrderTotal: toNumber(order.rawOrderTotal),
    // "" means no discount: null, not 0.
    orderDiscount: toNumber(order.orderDiscount),
    rawOrderDiscount: toNumber(order.rawOrderDiscount),
    discountPercent: toNumber(order.discountPercent),
    currencyCode: toText(order.currencyCode),
    currencyValue: toNumber(order.currencyValue),
    amountCharged: toNumber(order.amountCharged),
    orderStatus: toText(order.orderStatus),
    deliveryStatus: normaliseStatus(toText(order.deliveryStatus)),
    tag: toText(order.tag),
    quantity: toInt(order.quantity),
    voucherDetails: (order.voucherDetails ?? [])
      .map((v) => toVoucher(v, orderId, fallbackProductId))
      .filter((v): v is VoucherDetailView => v !== null),
  };
}

/**
 * Airmiles and top-up orders hold one item each, delivered (or cancelled) with the order: the items carry the order's
 * current status, so `deliveryStatus` and `voucherDetails[].productStatus` never disagree after a webhook or look-up.
 */
export function withItemStatus(items: VoucherDetailView[], deliveryStatus: string | null): VoucherDetailView[] {
  return deliveryStatus === null ? items : items.map((item) => ({ ...item, productStatus: deliveryStatus }));
}

/** null while the order has no Plum orderId (pending or rejected): the entity's key does not exist yet. */
export function toOrderView(record: ServedOrder): OrderView | null {
  if (record.orderId === null || record.order === null) return null;
  const mapped = mapOrder(record.order, record.orderId, record.request?.productId ?? null);
  // The latest webhook wins over the status Plum answered when the order was placed (or last looked up).
  const deliveryStatus = record.deliveryStatus ?? mapped.deliveryStatus;
  return {
    orderId: record.orderId,
    // The caller's own poNumber (Plum's is derived from it; operators find both in the ledger).
    poNumber: record.callerPoNumber,
    kind: record.kind,
    ...mapped,
    deliveryStatus,
    voucherDetails: withItemStatus(mapped.voucherDetails, deliveryStatus),
    placedAt: record.placedAt,
    updatedAt: record.updatedAt,
    subject: record.subject,
  };
}
