import { Field, Int, ObjectType } from "type-graphql";

@ObjectType({ description: 'A mobile operator whose top-up plans Plum sells (getVouchers with categoryType "topup").' })
export class TopupOperator {
  @Field(() => Int, {
    description: "Plum's id of the operator (the `parentProductId` of its plans); not orderable itself.",
  })
  productId!: number;

  @Field(() => String, { description: 'The operator\'s name, e.g. "Airtel".' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'ISO 3166 country code of the operator, e.g. "IN".' })
  countryCode!: string | null;

  @Field(() => String, { nullable: true, description: "URL of the operator's logo." })
  imageUrl!: string | null;
}
