import { Field, Float, ObjectType } from "type-graphql";
import { OrderError } from "./OrderError.js";
import { Product } from "./Product.js";

@ObjectType({
  description:
    "What a placement with this input would meet, without placing anything: the same input rules and catalogue checks placement runs, and an estimate of the charge.",
})
export class OrderQuote {
  @Field(() => Boolean, {
    description:
      "True when placement would send this order to Plum (Plum may still refuse it: stock, balance, operator).",
  })
  valid!: boolean;

  @Field(() => [OrderError], {
    description: "The errors placement would answer with, with the same codes and field paths; empty when valid.",
  })
  errors!: OrderError[];

  @Field(() => Product, { nullable: true, description: "The product, when the catalogue knows it." })
  product!: Product | null;

  @Field(() => Float, { nullable: true, description: "denomination × quantity, in `currencyCode`." })
  faceValue!: number | null;

  @Field(() => String, { nullable: true, description: "Currency of `faceValue`: the product's." })
  currencyCode!: string | null;

  @Field(() => Float, { nullable: true, description: "Fee in percent, from the catalogue." })
  feePercent!: number | null;

  @Field(() => Float, { nullable: true, description: "Discount in percent, from the catalogue." })
  discountPercent!: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      "An ESTIMATE of what the wallet is charged: faceValue × (1 + fee%) × (1 − discount%) × exchangeRate. Plum's `amountCharged` on the placed order is the truth.",
  })
  estimatedCharge!: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Currency of `estimatedCharge`: the wallet's when the catalogue has an exchange rate, else the product's.",
  })
  chargeCurrencyCode!: string | null;
}
