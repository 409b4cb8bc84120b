// placeOrder business rules. Checks run in a fixed order and the first failure wins, so tests can aim at
// one rule at a time.
import { PlumErrorId } from "../plum/wire.js";
import { findProduct, isDenominationAllowed, type SimProduct } from "./catalogue.js";
import { isRecord, looseFlag, looseNumber, looseString } from "./loose.js";
import type { OrderBook, SimOrder } from "./orderBook.js";
import { pricedFields } from "./pricedFields.js";
import { priceOrder } from "./pricing.js";
import { businessError, type SimReply } from "./responses.js";

/** The behaviour settings (behaviour.ts) placeOrder depends on. */
export interface PlaceOrderRules {
  readonly deduplicatePoNumbers: boolean;
}

export type PlaceOrderOutcome =
  { readonly ok: true; readonly order: SimOrder } | { readonly ok: false; readonly reply: SimReply };

const PO_NUMBER_MAX_LENGTH = 100;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+$/;

interface ValidRequest {
  productId: number;
  quantity: number;
  denomination: number;
  email: string;
  contact: string | null;
  tag: string;
  poNumber: string;
  performOperatorValidation: boolean;
  userMeta: Record<string, unknown>;
}

function rejected(reply: SimReply): PlaceOrderOutcome {
  return { ok: false, reply };
}

function validationError(detail: string): PlaceOrderOutcome {
  return rejected(businessError(400, PlumErrorId.validation, "Validation error in place order", detail));
}

function parseRequest(data: unknown): ValidRequest | string {
  if (!isRecord(data)) return '"variables.data" must be an object';
  const productId = looseNumber(data["productId"]);
  if (productId === undefined || !Number.isInteger(productId) || productId <= 0) return '"productId" is required';
  const quantity = looseNumber(data["quantity"]);
  if (quantity === undefined || !Number.isInteger(quantity) || quantity <= 0)
    return '"quantity" must be a positive integer';
  const denomination = looseNumber(data["denomination"]);
  if (denomination === undefined || denomination <= 0) return '"denomination" must be a positive number';
  const email = data["email"];
  if (typeof email !== "string" || !EMAIL_PATTERN.test(email)) return '"email" must be a valid email';
  const rawPo = data["poNumber"];
  const poNumber = rawPo === undefined || rawPo === null ? "" : looseString(rawPo);
  if (poNumber === undefined) return '"poNumber" must be a string';
  if (poNumber.length > PO_NUMBER_MAX_LENGTH) return `"poNumber" must be at most ${PO_NUMBER_MAX_LENGTH} characters`;
  const contact = data["contact"];
  const tag = data["tag"];
  return {
    productId,
    quantity,
    denomination,
    email,
    contact: typeof contact === "string" && contact !== "" ? contact : null,
    tag: typeof tag === "string" ? tag : "",
    poNumber,
    performOperatorValidation: looseFlag(data["performOperatorValidation"]),
    userMeta: isRecord(data["userMeta"]) ? data["userMeta"] : {},
  };
}

function nonEmpty(value: unknown): string | undefined {
  const text = looseString(value)?.trim();
  return text === undefined || text === "" ? undefined : text;
}

/** The userMeta the category requires, or an error text. */
function parseUserMeta(product: SimProduct, meta: Record<string, unknown>): Record<string, string> | string {
  if (product.category === "airmiles") {
    const loyaltyMemberId = nonEmpty(meta["loyaltyMemberId"]);
    return loyaltyMemberId === undefined
      ? '"userMeta.loyaltyMemberId" is required for airmiles products'
      : { loyaltyMemberId };
  }
  const topupPhoneCode = nonEmpty(meta["topupPhoneCode"]);
  const topupPhoneNumber = nonEmpty(meta["topupPhoneNumber"]);
  return topupPhoneCode === undefined || topupPhoneNumber === undefined
    ? '"userMeta.topupPhoneCode" and "userMeta.topupPhoneNumber" are required for top-up products'
    : { topupPhoneCode, topupPhoneNumber };
}

function digits(text: string): string {
  return text.replace(/\D/g, "");
}

function operatorMismatch(product: SimProduct, meta: Record<string, string>): string | undefined {
  const operator = product.operator;
  if (operator === undefined) return undefined;
  const code = digits(meta["topupPhoneCode"] ?? "");
  const number = digits(meta["topupPhoneNumber"] ?? "");
  const matches = code === digits(operator.phoneCode) && operator.prefixes.some((prefix) => number.startsWith(prefix));
  return matches
    ? undefined
    : `Operator validation failed: ${meta["topupPhoneCode"]} ${meta["topupPhoneNumber"]} is not a ${operator.name} number`;
}

export function placeOrder(data: unknown, book: OrderBook, now: Date, rules: PlaceOrderRules): PlaceOrderOutcome {
  const request = parseRequest(data);
  if (typeof request === "string") return validationError(request);

  const product = findProduct(request.productId);
  if (product === undefined || !product.activated) {
    return rejected(
      businessError(
        404,
        PlumErrorId.productNotActivated,
        "Product not activated for the client",
        product === undefined
          ? `Product ${request.productId} not found`
          : `Product ${request.productId} is not activated for the client`,
      ),
    );
  }

  const userMeta = parseUserMeta(product, request.userMeta);
  if (typeof userMeta === "string") return validationError(userMeta);

  if (!isDenominationAllowed(product, request.denomination)) {
    return rejected(
      businessError(
        400,
        PlumErrorId.invalidDenomination,
        "Invalid denomination for the product",
        "ProductId and Denomination Combination Not Found",
      ),
    );
  }

  if (request.quantity > product.orderQuantityLimit) {
    const limit = `Not allowed to place more than ${product.orderQuantityLimit} Qty`;
    return rejected(businessError(409, PlumErrorId.quantityLimit, limit, limit));
  }

  if (product.category === "topup" && request.performOperatorValidation) {
    const mismatch = operatorMismatch(product, userMeta);
    if (mismatch !== undefined) return validationError(mismatch);
  }

  if (!product.inStock) {
    return rejected(
      businessError(502, PlumErrorId.outOfStock, "Vouchers are out of stock", "Vouchers are out of stock"),
    );
  }

  // Assumption: Plum documents that a repeated poNumber is rejected but not how; PLE10004/422 is the closest
  // documented code (docs/plum-api.md §2.2, §6.4). Empty poNumbers are never unique-checked. With
  // deduplicatePoNumbers off the check is skipped, so a re-send creates (and charges) a second order.
  if (rules.deduplicatePoNumbers && request.poNumber !== "" && book.hasPoNumber(request.poNumber)) {
    return rejected(
      businessError(
        422,
        PlumErrorId.duplicatePoNumber,
        "Failed to validate client's externalOrderId",
        `poNumber ${request.poNumber} already exists`,
      ),
    );
  }

  const price = priceOrder(product, request.denomination, request.quantity);
  // Assumption: the shortfall code is undocumented; PLE10010 ("Failed to redeem points") is the wallet debit.
  if (price.grossUsd > book.balanceUsd) {
    return rejected(
      businessError(422, PlumErrorId.insufficientBalance, "Failed to redeem points", "Insufficient balance"),
    );
  }

  const realtime = product.deliveryType === "realtime";
  const order = book.create({
    poNumber: request.poNumber,
    ...pricedFields(product, request.denomination, request.quantity, price),
    tag: request.tag,
    email: request.email,
    contact: request.contact,
    userMeta,
    orderDate: now,
    deliveryStatus: realtime ? "delivered" : "pending",
    deliveryDate: realtime ? now : null,
  });
  return { ok: true, order };
}
