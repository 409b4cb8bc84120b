// The Plum Pro wire contract (docs/plum-api.md §1, §2, §4), shared by the client and the simulator.
// Every operation is one POST to `{base}/chef/v1/oauth/api`; the body names the operation.

export const PLUM_TAG = "plumProAPI";

export const PlumOperation = {
  placeOrder: "plumProAPI.mutation.placeOrder",
  getOrderDetails: "plumProAPI.mutation.getOrderDetails",
  getOrderHistory: "plumProAPI.mutation.getOrderHistory",
  // Catalogue and account reads (docs/plum-api.md §4.4, §4.5, §4.7). getBalance is a query, the others mutations.
  getVouchers: "plumProAPI.mutation.getVouchers",
  lookupMobileNumber: "plumProAPI.mutation.lookupMobileNumber",
  getBalance: "plumProAPI.query.getBalance",
} as const;
export type PlumOperationName = keyof typeof PlumOperation;

export interface PlumRequestBody<TData> {
  query: string;
  tag: typeof PLUM_TAG;
  variables: { data: TData };
}

/** 1/0 flags: the seeds send notify flags as numbers. */
export type PlumFlag = 0 | 1;

export interface AirmilesUserMeta {
  loyaltyMemberId: string;
}
export interface TopupUserMeta {
  topupPhoneCode: string;
  topupPhoneNumber: string;
}

/** `variables.data` of placeOrder, exactly as the seeds show it. Optional fields are omitted when not given. */
export interface PlaceOrderData {
  productId: number;
  quantity: number;
  denomination: number;
  email: string;
  contact?: string;
  tag?: string;
  poNumber: string;
  notifyReceiverEmail: PlumFlag;
  notifyAdminEmail: PlumFlag;
  performOperatorValidation?: PlumFlag;
  userMeta: AirmilesUserMeta | TopupUserMeta;
}

/** `variables.data` of getOrderDetails: by orderId (poNumber "" or null) or by poNumber (orderId null, 0 or "0"). */
export interface GetOrderDetailsData {
  orderId: number | string | null;
  poNumber: string | null;
  sendMailToReceiver: PlumFlag;
}

/** `variables.data` of getVouchers (docs/plum-api.md §4.5): miles, top-up operators, or one operator's plans. */
export interface GetVouchersData {
  voucherMongoId?: string;
  filters: { key: string; value: string }[];
  includeProducts: string;
  excludeProducts: string;
  exchangeRate: PlumFlag;
  sort: { field: string; order: "ASC" | "DESC" };
  categoryType: "miles" | "topup";
  parentProductId?: number;
  limit: number;
  page: number;
}

/** `variables.data` of lookupMobileNumber: the number in E.164 (docs/plum-api.md §4.7). */
export interface LookupMobileNumberData {
  mobile_number: string;
}

/** Values as they may arrive: numbers sometimes come as numeric strings, discounts as "" (docs/plum-api.md §1). */
export type Loose = number | string | null | undefined;

export interface PlumVoucherDetailWire {
  orderId?: Loose;
  productId?: Loose;
  productName?: string | null;
  currencyCode?: string | null;
  productStatus?: string | null;
  denomination?: Loose;
  vendorLogo?: string | null;
  cancelledQuantity?: Loose;
}

/** `data.placeOrder.data` and `data.getOrderDetails.data`. */
export interface PlumOrderWire {
  orderId?: Loose;
  poNumber?: string | null;
  orderTotal?: Loose;
  rawOrderTotal?: Loose;
  orderDiscount?: Loose;
  rawOrderDiscount?: Loose;
  discountPercent?: Loose;
  currencyCode?: string | null;
  currencyValue?: Loose;
  amountCharged?: Loose;
  orderStatus?: string | null;
  deliveryStatus?: string | null;
  tag?: string | null;
  quantity?: Loose;
  orderDate?: string | null;
  deliveryDate?: string | null;
  vouchers?: unknown[];
  voucherDetails?: PlumVoucherDetailWire[] | null;
  orderMeta?: Record<string, unknown> | null;
}

/** `{"data":{"<op>":{"status":1,"data":{...}}}}` */
export interface PlumSuccessEnvelope {
  data: Record<string, { status: Loose; data?: PlumOrderWire | null } | undefined>;
}

// The four documented error shapes (docs/plum-api.md §2.1).
/** A: OAuth / authorization failures. */
export interface PlumOAuthErrorBody {
  error: string;
  error_description?: string;
}
/** B: business errors, e.g. {"code":404,"errorId":"PLE10016","errorInfo":"…","error":"…"}. */
export interface PlumBusinessErrorBody {
  code?: number;
  errorId?: string;
  errorInfo?: string;
  error?: unknown;
}
/** C: rate limit. */
export interface PlumRateLimitBody {
  errors: { message: string; penaltySeconds?: number }[];
}
/** D: token invalidation. */
export interface PlumTokenErrorBody {
  success: 0;
  error_message_id?: string;
  message?: string;
}

/** POST {base}/chef/v1/oauth/token/user (docs/plum-api.md §3.2). */
export interface PlumRefreshRequest {
  grant_type: "refresh_token";
  refresh_token: string;
  client_id: string;
  client_secret: string;
}
export interface PlumRefreshResponse {
  access_token: string;
  token_type: string;
  expires_in: number | string;
  refresh_token: string;
  /** epoch milliseconds, sent as a string */
  access_token_expiry?: string | number;
  refresh_token_expiry?: string | number;
}

/** Delivery-status callback (docs/plum-api.md §5). */
export interface PlumWebhookBody {
  id: number | string;
  data: { orderId: number | string; poNumber: string; orderDate: string; deliveryStatus: string };
  createdAt: string;
}

// Paths relative to the base URL (e.g. https://stagingstores.xoxoday.com).
export const PLUM_API_PATH = "/chef/v1/oauth/api";
export const PLUM_TOKEN_REFRESH_PATH = "/chef/v1/oauth/token/user";
export const PLUM_TOKEN_VALIDATE_PATH = "/chef/v1/oauth/token";

// errorIds with a fixed meaning for this subgraph (docs/plum-api.md §2.2). Codes marked (sim) are the simulator's
// documented assumptions for cases Plum leaves undocumented.
export const PlumErrorId = {
  validation: "PLE10001",
  duplicatePoNumber: "PLE10004", // (sim) duplicate or invalid poNumber
  insufficientBalance: "PLE10010", // (sim) wallet debit failure
  confirmFailed: "PLE10011", // "Failed to confirm order", "call placeOrder again" (docs/plum-api.md §2.2, §6)
  processFailed: "PLE10012",
  orderNotFound: "PLE10016",
  invalidDenomination: "PLE10018",
  outOfStock: "PLE10024",
  noVouchers: "PLE10030", // getVouchers: "Failed to find vouchers" (an empty page)
  cancelledRefundFailed: "PLE10026", // "Order cancelled but refund failed": money may be held

  placeFailed: "PLE10025",
  statusCheckFailed: "PLE10035", // reconcile by poNumber
  quantityLimit: "PLE10041",
  productNotActivated: "PLE10042",
} as const;
