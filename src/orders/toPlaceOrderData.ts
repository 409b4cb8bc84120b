// Builds placeOrder's `variables.data` exactly as the seeds show it (key order included): flags as 1/0, userMeta
// nested, optional fields omitted when not given.
import type { AirmilesUserMeta, PlaceOrderData, PlumFlag, TopupUserMeta } from "../plum/wire.js";
import { OrderKind } from "./orderKind.js";
import type { AirmilesOrderInput, BaseOrderInput, TopupOrderInput } from "./input.js";

const flag = (value: boolean): PlumFlag => (value ? 1 : 0);

interface KindSpecific {
  contact?: string | null;
  performOperatorValidation?: boolean;
  userMeta: AirmilesUserMeta | TopupUserMeta;
}

function orderData(input: BaseOrderInput, specific: KindSpecific): PlaceOrderData {
  return {
    productId: input.productId,
    quantity: input.quantity,
    denomination: input.denomination,
    email: input.email,
    ...(specific.contact ? { contact: specific.contact } : {}),
    ...(input.tag ? { tag: input.tag } : {}),
    poNumber: input.poNumber,
    notifyReceiverEmail: flag(input.notifyReceiverEmail),
    notifyAdminEmail: flag(input.notifyAdminEmail),
    ...(specific.performOperatorValidation !== undefined
      ? { performOperatorValidation: flag(specific.performOperatorValidation) }
      : {}),
    userMeta: specific.userMeta,
  };
}

export function airmilesOrderData(input: AirmilesOrderInput): PlaceOrderData {
  return orderData(input, { contact: input.contact, userMeta: { loyaltyMemberId: input.userMeta.loyaltyMemberId } });
}

export function topupOrderData(input: TopupOrderInput): PlaceOrderData {
  const { topupPhoneCode, topupPhoneNumber } = input.userMeta;
  return orderData(input, {
    performOperatorValidation: input.performOperatorValidation,
    userMeta: { topupPhoneCode, topupPhoneNumber },
  });
}

export type OrderRequest =
  { kind: OrderKind.AIRMILES; input: AirmilesOrderInput } | { kind: OrderKind.TOPUP; input: TopupOrderInput };

export function toPlaceOrderData(request: OrderRequest): PlaceOrderData {
  return request.kind === OrderKind.AIRMILES ? airmilesOrderData(request.input) : topupOrderData(request.input);
}
