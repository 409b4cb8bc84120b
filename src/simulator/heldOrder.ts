// The placeOrder data of an order the simulator is told to hold: what the caller gave, completed with a valid
// realtime airmiles order, so one line of curl (just a poNumber) is enough.
import { EMIRATES_SKYWARDS_PRODUCT_ID } from "./catalogue.js";

export function heldOrderData(data: Record<string, unknown>): Record<string, unknown> {
  return {
    productId: EMIRATES_SKYWARDS_PRODUCT_ID,
    quantity: 1,
    denomination: 25,
    email: "held.order@example.com",
    poNumber: "",
    userMeta: { loyaltyMemberId: "900000100" },
    ...data,
  };
}
