// Builds placeOrder's `variables.data` exactly as the seeds show it: flags as 1/0, userMeta nested, optional
// fields omitted when not given.
import type { PlaceOrderData, PlumFlag } from "../plum/wire.js";
import { OrderKind } from "./errorCodes.js";
import type { AirmilesOrderInput, TopupOrderInput } from "./input.js";

const flag = (value: boolean): PlumFlag => (value ? 1 : 0);

export function airmilesOrderData(input: AirmilesOrderInput): PlaceOrderData {
  return {
    productId: input.productId,
    quantity: input.quantity,
    denomination: input.denomination,
    email: input.email,
    ...(input.contact ? { contact: input.contact } : {}),
    ...(input.tag ? { tag: input.tag } : {}),
    poNumber: input.poNumber,
    notifyReceiverEmail: flag(input.notifyReceiverEmail),
    notifyAdminEmail: flag(input.notifyAdminEmail),
    userMeta: { loyaltyMemberId: input.userMeta.loyaltyMemberId },
  };
}

export function topupOrderData(input: TopupOrderInput): PlaceOrderData {
  return {
    productId: input.productId,
    quantity: input.quantity,
    denomination: input.denomination,
    email: input.email,
    ...(input.tag ? { tag: input.tag } : {}),
    poNumber: input.poNumber,
    notifyReceiverEmail: flag(input.notifyReceiverEmail),
    notifyAdminEmail: flag(input.notifyAdminEmail),
    performOperatorValidation: flag(input.performOperatorValidation),
    userMeta: { topupPhoneCode: input.userMeta.topupPhoneCode, topupPhoneNumber: input.userMeta.topupPhoneNumber },
  };
}

export type OrderRequest =
  | { kind: OrderKind.AIRMILES; input: AirmilesOrderInput }
  | { kind: OrderKind.TOPUP; input: TopupOrderInput };

export function toPlaceOrderData(request: OrderRequest): PlaceOrderData {
  return request.kind === OrderKind.AIRMILES ? airmilesOrderData(request.input) : topupOrderData(request.input);
}
