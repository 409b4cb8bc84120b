// Serialises orders the way Plum does: discount fields are strings ("" when none), and products flagged
// `numericStrings` send their numbers as numeric strings so clients must parse leniently (docs/plum-api.md §1).
import { findProduct } from "./catalogue.js";
import { plumDateTime } from "./dates.js";
import type { SimOrder } from "./orderBook.js";

type WireNumber = (value: number) => number | string;

function wireNumberFor(order: SimOrder): WireNumber {
  const asString = findProduct(order.productId)?.numericStrings ?? false;
  return asString ? (value) => String(value) : (value) => value;
}

function orderMeta(order: SimOrder): Record<string, string> {
  return order.contact === null ? { email: order.email } : { email: order.email, contact: order.contact };
}

function voucherDetail(order: SimOrder, n: WireNumber): Record<string, unknown> {
  return {
    orderId: n(order.orderId),
    productId: n(order.productId),
    productName: order.productName,
    currencyCode: order.currencyCode,
    productStatus: order.deliveryStatus,
    denomination: n(order.denomination),
    vendorLogo: findProduct(order.productId)?.vendorLogo ?? "",
  };
}

function orderFields(order: SimOrder, n: WireNumber): Record<string, unknown> {
  const hasDiscount = order.discountPercent > 0;
  return {
    orderId: n(order.orderId),
    orderTotal: n(order.orderTotal),
    rawOrderTotal: n(order.rawOrderTotal),
    orderDiscount: hasDiscount ? order.orderDiscount.toFixed(2) : "",
    rawOrderDiscount: hasDiscount ? String(order.rawOrderDiscount) : "",
    discountPercent: hasDiscount ? String(order.discountPercent) : "",
    currencyCode: order.currencyCode,
    currencyValue: n(order.currencyValue),
    amountCharged: n(order.amountCharged),
    orderStatus: "complete",
    deliveryStatus: order.deliveryStatus,
    tag: order.tag,
    quantity: n(order.quantity),
    // Airmiles and top-up never carry voucher codes.
    vouchers: [],
  };
}

/** `data.placeOrder.data`. */
export function placeOrderWire(order: SimOrder): Record<string, unknown> {
  const n = wireNumberFor(order);
  return { ...orderFields(order, n), voucherDetails: [voucherDetail(order, n)], orderMeta: orderMeta(order) };
}

/** `data.getOrderDetails.data`: the placeOrder fields plus poNumber, dates and cancelledQuantity. */
export function orderDetailsWire(order: SimOrder): Record<string, unknown> {
  const n = wireNumberFor(order);
  const cancelledQuantity = n(order.deliveryStatus === "canceled" ? order.quantity : 0);
  return {
    ...orderFields(order, n),
    poNumber: order.poNumber,
    orderDate: plumDateTime(order.orderDate),
    deliveryDate: order.deliveryDate === null ? "" : plumDateTime(order.deliveryDate),
    shippingDetails: {},
    voucherDetails: [{ ...voucherDetail(order, n), cancelledQuantity }],
    orderMeta: { ...orderMeta(order), ...order.userMeta },
  };
}
