// lookupMobileNumber (docs/plum-api.md §4.7): the operator of an E.164 number, from the same operators placeOrder's
// operator validation uses. Two documented answer shapes: the page text's (flat, `network_operator`, `is_active`,
// `parentProductId`) and the spec example's (`operator`, `countryCode`, `productId`).
import { PlumErrorId } from "../plum/wire.js";
import { SIMULATOR_OPERATORS } from "./catalogue.js";
import type { LookupShape } from "./catalogueState.js";
import { isRecord } from "./loose.js";
import { businessError, jsonReply, successReply, type SimReply } from "./responses.js";

const E164 = /^\+[1-9][0-9]{6,14}$/;

export function lookupMobileNumber(data: unknown, shape: LookupShape): SimReply {
  const number = isRecord(data) ? data["mobile_number"] : undefined;
  if (typeof number !== "string" || !E164.test(number)) {
    return businessError(400, PlumErrorId.validation, "Validation error", '"mobile_number" must be in E.164 format');
  }
  const operator = SIMULATOR_OPERATORS.find(
    (o) =>
      number.startsWith(o.phoneCode) &&
      o.prefixes.some((prefix) => number.slice(o.phoneCode.length).startsWith(prefix)),
  );
  if (shape === "spec") {
    return successReply("lookupMobileNumber", {
      operator: operator?.name ?? null,
      countryCode: operator?.countryCode ?? null,
      productId: operator?.productId ?? null,
    });
  }
  return jsonReply(200, {
    data: {
      lookupMobileNumber: {
        status: 1,
        message: operator === undefined ? "Operator not found" : "Success",
        phone: number,
        network_operator: operator?.name ?? null,
        is_active: operator !== undefined,
        parentProductId: operator?.productId ?? null,
      },
    },
  });
}
