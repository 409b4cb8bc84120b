import { ValidateNested } from "class-validator";
import { Field, InputType } from "type-graphql";
import type { TopupOrderInput } from "../../orders/input.js";
import { PlaceOrderInputBase } from "./PlaceOrderInputBase.js";
import { TopupUserMetaInput } from "./TopupUserMetaInput.js";

@InputType({ description: "A mobile top-up order, mirroring Plum's placeOrder fields for top-up products." })
export class PlaceTopupOrderInput extends PlaceOrderInputBase implements TopupOrderInput {
  @Field(() => Boolean, {
    defaultValue: false,
    description:
      "When true, Plum checks that the number belongs to the product's operator and rejects the order otherwise.",
  })
  performOperatorValidation!: boolean;

  @Field(() => TopupUserMetaInput, { description: "The phone number to recharge." })
  @ValidateNested()
  userMeta!: TopupUserMetaInput;
}
