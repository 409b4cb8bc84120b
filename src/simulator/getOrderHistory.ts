// getOrderHistory (docs/plum-api.md §4.3): the orders placed between startDate and endDate (YYYY-MM-DD, both
// inclusive, by the order's UTC date), one page of `limit` rows, oldest first so that orders placed while a client
// pages only ever append. The row shape is the documented one; a page shorter than `limit` is the last.
import { isRecord, looseNumber } from "./loose.js";
import type { LookupView } from "./lookupView.js";
import type { SimOrder } from "./orderBook.js";
import { plumDateTime } from "./dates.js";
import { businessError, successReply, type SimReply } from "./responses.js";

/** Plum documents no page-size cap; the simulator's keeps answers bounded. */
export const HISTORY_MAX_LIMIT = 1000;
const HISTORY_DEFAULT_LIMIT = 10;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function invalid(detail: string): SimReply {
  return businessError(400, "PLE10032", "Failed to validate OrderHistory request", detail);
}

/** The day as "YYYY-MM-DD" when it is a real calendar date, else undefined. */
function calendarDay(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const match = DATE.exec(value);
  if (match === null) return undefined;
  const date = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value ? undefined : value;
}

function positiveInt(value: unknown, fallback: number): number | undefined {
  if (value === undefined || value === null || value === "") return fallback;
  const n = looseNumber(value);
  return n !== undefined && Number.isInteger(n) && n >= 1 ? n : undefined;
}

/** One history row, as documented (numbers as numbers; discounts as numbers here, 0 when none). */
export function historyRow(order: SimOrder): Record<string, unknown> {
  const phone = order.userMeta["topupPhoneNumber"];
  return {
    orderId: order.orderId,
    orderDate: plumDateTime(order.orderDate),
    email: order.email,
    deliveryStatus: order.deliveryStatus,
    poNumber: order.poNumber,
    tag: order.tag === "" ? null : order.tag,
    orderTotal: order.orderTotal,
    rawOrderTotal: order.rawOrderTotal,
    orderDiscount: order.orderDiscount,
    rawOrderDiscount: order.rawOrderDiscount,
    discountPercent: order.discountPercent,
    amountCharged: order.amountCharged,
    currencyValue: order.currencyValue,
    currencyCode: order.currencyCode,
    products: [
      {
        productId: order.productId,
        productName: order.productName,
        receiverMobileNumber: phone === undefined ? "" : `${order.userMeta["topupPhoneCode"] ?? ""}${phone}`,
        receiverEmail: order.email,
        price: order.denomination,
        quantity: order.quantity,
        orderProductStatus: order.deliveryStatus,
        currency: order.currencyCode,
        trackingId: null,
        trackingLink: null,
      },
    ],
    voucherDetails: [
      {
        orderId: order.orderId,
        productId: order.productId,
        productName: order.productName,
        currencyCode: order.currencyCode,
        productStatus: order.deliveryStatus,
        denomination: order.denomination,
      },
    ],
  };
}

export function getOrderHistory(data: unknown, view: LookupView): SimReply {
  if (!isRecord(data)) return invalid('"variables.data" must be an object');
  const startDate = calendarDay(data["startDate"]);
  const endDate = calendarDay(data["endDate"]);
  if (startDate === undefined || endDate === undefined)
    return invalid('"startDate" and "endDate" must be dates as YYYY-MM-DD');
  if (startDate > endDate) return invalid('"startDate" must not be after "endDate"');
  const page = positiveInt(data["page"], 1);
  const limit = positiveInt(data["limit"], HISTORY_DEFAULT_LIMIT);
  if (page === undefined || limit === undefined || limit > HISTORY_MAX_LIMIT) {
    return invalid(`"page" must be a positive integer and "limit" one from 1 to ${HISTORY_MAX_LIMIT}`);
  }
  const tag = typeof data["tag"] === "string" && data["tag"] !== "" ? data["tag"] : null;
  const rows = view
    .all()
    .filter((order) => {
      const day = order.orderDate.toISOString().slice(0, 10);
      return day >= startDate && day <= endDate && (tag === null || order.tag === tag);
    })
    .sort((a, b) => a.orderId - b.orderId);
  return successReply("getOrderHistory", rows.slice((page - 1) * limit, page * limit).map(historyRow));
}
