// The catalogue's enums for type-graphql, each value described for Sandbox readers.
import { registerEnumType } from "type-graphql";

export enum ProductValueType {
  FIXED_DENOMINATIONS = "FIXED_DENOMINATIONS",
  OPEN_VALUE = "OPEN_VALUE",
}

export enum ProductDeliveryType {
  REALTIME = "REALTIME",
  DELAYED = "DELAYED",
}

registerEnumType(ProductValueType, {
  name: "ProductValueType",
  description: "How a product's value is chosen.",
  valuesConfig: {
    FIXED_DENOMINATIONS: { description: "Only the values listed in `denominations` (Plum's `fixed_denomination`)." },
    OPEN_VALUE: { description: "Any value between `minValue` and `maxValue` (Plum's `open_value`)." },
  },
});

registerEnumType(ProductDeliveryType, {
  name: "ProductDeliveryType",
  description: "How fast Plum delivers the product.",
  valuesConfig: {
    REALTIME: { description: "Delivered when the order is placed (deliveryStatus `delivered` at once)." },
    DELAYED: {
      description: "Delivered later (up to 7 business days); the order stays `pending` until Plum's callback.",
    },
  },
});
