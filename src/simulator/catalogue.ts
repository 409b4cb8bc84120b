// The simulator's product catalogue: a few airmiles and top-up products covering every placeOrder branch
// (realtime vs delayed, fixed vs open value, discount, numeric-string responses, out of stock, not activated).

export const EMIRATES_SKYWARDS_PRODUCT_ID = 15365;
export const ETIHAD_GUEST_PRODUCT_ID = 15366;
export const QATAR_AVIOS_PRODUCT_ID = 15399;
export const KRISFLYER_PRODUCT_ID = 15400;
export const AIRTEL_TOPUP_PRODUCT_ID = 20001;
export const JIO_TOPUP_PRODUCT_ID = 20002;
/** Top-up operators: the parents getVouchers lists for categoryType "topup"; their plans name them. */
export const AIRTEL_OPERATOR_ID = 20100;
export const JIO_OPERATOR_ID = 20200;

export type ProductCategory = "airmiles" | "topup";
export type DeliveryType = "realtime" | "delayed";

export type DenominationRule =
  | { readonly valueType: "open_value"; readonly min: number; readonly max: number }
  | { readonly valueType: "fixed_denomination"; readonly values: readonly number[] };

/** Operator validation for top-up: the number (without country code) must start with one of `prefixes`. */
export interface TopupOperator {
  /** The operator's own catalogue entry (parentProductId of its plans). */
  readonly productId: number;
  readonly name: string;
  readonly countryCode: string;
  readonly phoneCode: string;
  readonly prefixes: readonly string[];
}

export interface SimProduct {
  readonly productId: number;
  readonly name: string;
  readonly category: ProductCategory;
  readonly deliveryType: DeliveryType;
  readonly currencyCode: string;
  /** USD per unit of the product currency (Plum's `currencyValue`); used to debit the USD wallet. */
  readonly currencyValue: number;
  readonly denominations: DenominationRule;
  readonly orderQuantityLimit: number;
  /** Percent; 0 = no discount (the wire then carries "" for the discount fields). */
  readonly discountPercent: number;
  readonly inStock: boolean;
  readonly activated: boolean;
  readonly operator?: TopupOperator;
  /** Send numeric response fields as numeric strings, as some real responses do. */
  readonly numericStrings: boolean;
  readonly vendorLogo: string;
  /** Catalogue fields getVouchers serves (docs/plum-api.md §4.5). */
  readonly countryCode: string;
  readonly description: string;
  /** Percent added to the face value (0: none). */
  readonly feePercent: number;
  readonly loyaltyConversion?: string;
}

const LOGO_BASE = "https://res.cloudinary.com/dyyjph6kx/image/upload/simulator";

export const SIMULATOR_PRODUCTS: readonly SimProduct[] = [
  {
    productId: EMIRATES_SKYWARDS_PRODUCT_ID,
    name: "Emirates Skywards Miles",
    category: "airmiles",
    deliveryType: "realtime",
    currencyCode: "USD",
    currencyValue: 1,
    denominations: { valueType: "open_value", min: 10, max: 10_000 },
    orderQuantityLimit: 1,
    discountPercent: 0,
    inStock: true,
    activated: true,
    numericStrings: false,
    vendorLogo: `${LOGO_BASE}/emirates-skywards.png`,
    countryCode: "AE",
    description: "Skywards Miles credited to an Emirates Skywards member account.",
    feePercent: 0,
    loyaltyConversion: "1 USD = 1 Mile",
  },
  {
    productId: ETIHAD_GUEST_PRODUCT_ID,
    name: "Etihad Guest Miles",
    category: "airmiles",
    deliveryType: "delayed",
    currencyCode: "USD",
    currencyValue: 1,
    denominations: { valueType: "fixed_denomination", values: [25, 50, 100] },
    orderQuantityLimit: 1,
    discountPercent: 3,
    inStock: true,
    activated: true,
    numericStrings: false,
    vendorLogo: `${LOGO_BASE}/etihad-guest.png`,
    countryCode: "AE",
    description: "Etihad Guest Miles, credited within 72 hours.",
    feePercent: 0,
    loyaltyConversion: "1 USD = 2 Miles",
  },
  {
    productId: QATAR_AVIOS_PRODUCT_ID,
    name: "Qatar Privilege Club Avios",
    category: "airmiles",
    deliveryType: "realtime",
    currencyCode: "USD",
    currencyValue: 1,
    denominations: { valueType: "open_value", min: 10, max: 5_000 },
    orderQuantityLimit: 1,
    discountPercent: 0,
    inStock: false,
    activated: true,
    numericStrings: false,
    vendorLogo: `${LOGO_BASE}/qatar-avios.png`,
    countryCode: "QA",
    description: "Avios for Qatar Airways Privilege Club members.",
    feePercent: 0,
  },
  {
    productId: KRISFLYER_PRODUCT_ID,
    name: "Singapore KrisFlyer Miles",
    category: "airmiles",
    deliveryType: "realtime",
    currencyCode: "USD",
    currencyValue: 1,
    denominations: { valueType: "open_value", min: 10, max: 5_000 },
    orderQuantityLimit: 1,
    discountPercent: 0,
    inStock: true,
    activated: false,
    numericStrings: false,
    vendorLogo: `${LOGO_BASE}/krisflyer.png`,
    countryCode: "SG",
    description: "KrisFlyer miles for Singapore Airlines members.",
    feePercent: 0,
  },
  {
    productId: AIRTEL_TOPUP_PRODUCT_ID,
    name: "Airtel Prepaid India",
    category: "topup",
    deliveryType: "delayed",
    currencyCode: "INR",
    currencyValue: 0.012,
    denominations: { valueType: "fixed_denomination", values: [100, 200, 500] },
    orderQuantityLimit: 1,
    discountPercent: 0,
    inStock: true,
    activated: true,
    operator: {
      productId: AIRTEL_OPERATOR_ID,
      name: "Airtel",
      countryCode: "IN",
      phoneCode: "+91",
      prefixes: ["98", "99", "97"],
    },
    numericStrings: true,
    vendorLogo: `${LOGO_BASE}/airtel.png`,
    countryCode: "IN",
    description: "Airtel prepaid recharge, India.",
    // placeOrder charges no fee (pricing.ts), so the catalogue advertises none: quotes must match the debit.
    feePercent: 0,
  },
  {
    productId: JIO_TOPUP_PRODUCT_ID,
    name: "Jio Prepaid India",
    category: "topup",
    deliveryType: "realtime",
    currencyCode: "INR",
    currencyValue: 0.012,
    denominations: { valueType: "fixed_denomination", values: [149, 299] },
    orderQuantityLimit: 1,
    discountPercent: 0,
    inStock: true,
    activated: true,
    operator: { productId: JIO_OPERATOR_ID, name: "Jio", countryCode: "IN", phoneCode: "+91", prefixes: ["70", "89"] },
    numericStrings: false,
    vendorLogo: "",
    countryCode: "IN",
    description: "Jio prepaid recharge, India.",
    feePercent: 0,
  },
];

/** The top-up operators, one per distinct plan operator. */
export const SIMULATOR_OPERATORS: readonly TopupOperator[] = [
  ...new Map(
    SIMULATOR_PRODUCTS.flatMap((p) => (p.operator ? [[p.operator.productId, p.operator] as const] : [])),
  ).values(),
];

const byId = new Map<number, SimProduct>(SIMULATOR_PRODUCTS.map((p) => [p.productId, p]));

export function findProduct(productId: number): SimProduct | undefined {
  return byId.get(productId);
}

export function isDenominationAllowed(product: SimProduct, denomination: number): boolean {
  const rule = product.denominations;
  return rule.valueType === "open_value"
    ? denomination >= rule.min && denomination <= rule.max
    : rule.values.includes(denomination);
}
