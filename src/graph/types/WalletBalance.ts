import { DateTimeISOResolver } from "graphql-scalars";
import { Field, Float, ObjectType } from "type-graphql";

@ObjectType({
  description: "The company's Plum wallet balance (getBalance), cached for a minute: Plum allows 10 reads a minute.",
})
export class WalletBalance {
  @Field(() => Float, { description: "Balance in `currencyCode`." })
  value!: number;

  @Field(() => String, { description: "ISO 4217 currency of the wallet, e.g. USD." })
  currencyCode!: string;

  @Field(() => DateTimeISOResolver, { description: "When Plum reported this balance." })
  asOf!: Date;
}
