import { DateTimeISOResolver } from "graphql-scalars";
import { Directive, Field, Float, Int, ObjectType } from "type-graphql";
import { OrderKind } from "../../orders/orderKind.js";
import { ProductDeliveryType, ProductValueType } from "./catalogueEnums.js";
import "./enums.js";

@Directive('@key(fields: "productId")')
@ObjectType({
  description:
    "A product of Plum's catalogue: an airmiles programme or a mobile top-up plan, as this subgraph's cached snapshot holds it (refreshed 4× a day). Values are in the product's currency (`currencyCode`).",
})
export class Product {
  @Field(() => Int, {
    description:
      "Plum's product id: what placeAirmilesOrder / placeTopupOrder take as `productId`, and the entity key.",
  })
  productId!: number;

  @Field(() => String, { description: 'Display name, e.g. "Emirates Skywards Miles".' })
  name!: string;

  @Field(() => OrderKind, {
    description: "Which mutation orders it: AIRMILES → placeAirmilesOrder, TOPUP → placeTopupOrder.",
  })
  kind!: OrderKind;

  @Field(() => String, { nullable: true, description: "Plum's description of the product." })
  description!: string | null;

  @Field(() => String, { nullable: true, description: "URL of the product's image or logo." })
  imageUrl!: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166 country code the product is for, e.g. "IN".' })
  countryCode!: string | null;

  @Field(() => String, {
    description: "ISO 4217 currency of the denominations, e.g. USD or INR (empty when Plum sent none).",
  })
  currencyCode!: string;

  @Field(() => ProductValueType, {
    description: "Whether the value is one of `denominations` or anything between `minValue` and `maxValue`.",
  })
  valueType!: ProductValueType;

  @Directive("@listSize(assumedSize: 10)")
  @Field(() => [Float], {
    description:
      "The values a FIXED_DENOMINATIONS product accepts, ascending (from Plum's CSV `valueDenominations`); empty for OPEN_VALUE.",
  })
  denominations!: number[];

  @Field(() => Float, { nullable: true, description: "Lowest value of an OPEN_VALUE product." })
  minValue!: number | null;

  @Field(() => Float, { nullable: true, description: "Highest value of an OPEN_VALUE product." })
  maxValue!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: "Most items one order may have (Plum's `orderQuantityLimit`; 1 for airmiles and top-ups).",
  })
  quantityLimit!: number | null;

  @Field(() => ProductDeliveryType, {
    nullable: true,
    description: "Realtime or delayed delivery; null when Plum did not say.",
  })
  deliveryType!: ProductDeliveryType | null;

  @Field(() => Float, { nullable: true, description: "Fee Plum adds, in percent of the face value." })
  feePercent!: number | null;

  @Field(() => Float, { nullable: true, description: "Discount Plum grants, in percent." })
  discountPercent!: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      "Wallet-currency units per unit of `currencyCode` (Plum's FX rate, updated daily): what one unit of face value costs the wallet.",
  })
  exchangeRate!: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Airmiles: the loyalty programme\'s name, e.g. "Emirates Skywards".',
  })
  loyaltyProgramme!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Airmiles: how value converts to miles, as Plum words it, e.g. "1 USD = 1 Mile".',
  })
  loyaltyConversion!: string | null;

  @Field(() => String, { nullable: true, description: "Plum's terms and conditions / instructions for the product." })
  termsAndConditions!: string | null;

  @Field(() => DateTimeISOResolver, {
    description: "When the snapshot this product comes from was refreshed from Plum.",
  })
  catalogueUpdatedAt!: Date;

  /** Not a field: resolves `operator`. */
  parentProductId!: number | null;
}
