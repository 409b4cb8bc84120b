// The built-in Plum Pro simulator: a local implementation of the upstream HTTP API (../docs/plum-api.md).
export { createPlumSimulator, SIMULATOR_CLIENT } from "./createSimulator.js";
export type {
  PlumSimulator,
  RateLimits,
  RecordedCall,
  SimOperation,
  SimulatorOptions,
  WebhookConfig,
  WebhookDelivery,
} from "./types.js";
export type { FaultKindSpec, FaultOperation, FaultSpec, OtherOrderMode, SlowProcessingAnswer } from "./faults.js";
export type { SimBehaviour } from "./behaviour.js";
export type { SimDeliveryStatus, SimOrder } from "./orderBook.js";
export type { LookupShape, SimCatalogueSettings } from "./catalogueState.js";
export {
  AIRTEL_OPERATOR_ID,
  AIRTEL_TOPUP_PRODUCT_ID,
  JIO_OPERATOR_ID,
  SIMULATOR_OPERATORS,
  EMIRATES_SKYWARDS_PRODUCT_ID,
  ETIHAD_GUEST_PRODUCT_ID,
  JIO_TOPUP_PRODUCT_ID,
  KRISFLYER_PRODUCT_ID,
  QATAR_AVIOS_PRODUCT_ID,
  SIMULATOR_PRODUCTS,
  findProduct,
} from "./catalogue.js";
export type { DeliveryType, DenominationRule, ProductCategory, SimProduct, TopupOperator } from "./catalogue.js";
export { ADMIN_PREFIX } from "./admin.js";
