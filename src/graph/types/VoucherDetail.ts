import { Field, Float, ID, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "One item of an order as Plum fulfils it (for airmiles and top-ups, usually exactly one)." })
export class VoucherDetail {
  @Field(() => ID, { description: "Plum's id of the order this item belongs to." })
  orderId!: string;

  @Field(() => Int, { description: "Plum's product id." })
  productId!: number;

  @Field(() => String, { nullable: true, description: 'The product\'s display name, e.g. "Emirates Skywards Miles".' })
  productName!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "ISO 4217 currency of the product's denomination, e.g. USD or INR.",
  })
  currencyCode!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Fulfilment status of this item as Plum reports it: usually `delivered` or `pending`; other values pass through unchanged.",
  })
  productStatus!: string | null;

  @Field(() => Float, {
    nullable: true,
    description: "Face value of the item, in the product's currency (`currencyCode`).",
  })
  denomination!: number | null;

  @Field(() => String, { nullable: true, description: "URL of the vendor's logo; null when Plum sends none." })
  vendorLogo!: string | null;
}
