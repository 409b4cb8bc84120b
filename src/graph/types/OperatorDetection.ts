import { Field, ObjectType } from "type-graphql";
import { TopupOperator } from "./TopupOperator.js";

@ObjectType({
  description: "Which operator a phone number belongs to, as Plum's lookupMobileNumber tells (cached briefly).",
})
export class OperatorDetection {
  @Field(() => TopupOperator, {
    nullable: true,
    description:
      "The operator; null when Plum cannot tell. Its `plans` are what placeTopupOrder accepts for this number.",
  })
  operator!: TopupOperator | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "Whether Plum reports the number as active; null when it did not say.",
  })
  active!: boolean | null;
}
