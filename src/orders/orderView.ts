// Maps a ledger record (Plum's order data, parsed leniently) to the typed order the graph exposes.
import { toId, toInt, toNumber, toText } from "../plum/lenient.js";
import type { PlumOrderWire, PlumVoucherDetailWire } from "../plum/wire.js";
import type { OrderRecord } from "../storage/ledger.js";
import type { OrderKind } from "./errorCodes.js";

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

function toVoucher(wire: PlumVoucherDetailWire, orderId: string, fallbackProductId: number | null): VoucherDetailView | null {
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

/** Plum's dates are "YYYY-MM-DD HH:MM:SS" without a zone; read as UTC. */
export function parsePlumDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})/.exec(value);
  const date = match ? new Date(`${match[1]}T${match[2]}Z`) : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

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
    deliveryStatus: toText(order.deliveryStatus),
    tag: toText(order.tag),
    quantity: toInt(order.quantity),
    voucherDetails: (order.voucherDetails ?? [])
      .map((v) => toVoucher(v, orderId, fallbackProductId))
      .filter((v): v is VoucherDetailView => v !== null),
  };
}

/** null while the order has no Plum orderId (pending or rejected): the entity's key does not exist yet. */
export function toOrderView(record: OrderRecord): OrderView | null {
  if (record.orderId === null || record.order === null) return null;
  const mapped = mapOrder(record.order, record.orderId, record.request?.productId ?? null);
  return {
    orderId: record.orderId,
    poNumber: record.poNumber === "" ? null : record.poNumber,
    kind: record.kind,
    ...mapped,
    // The latest webhook wins over the status Plum answered when the order was placed.
    deliveryStatus: record.deliveryStatus ?? mapped.deliveryStatus,
    placedAt: record.placedAt,
    updatedAt: record.updatedAt,
    subject: record.subject,
  };
}
