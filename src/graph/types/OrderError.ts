import { Field, Int, ObjectType } from "type-graphql";
import { OrderErrorCode } from "../../orders/errorCodes.js";
import "./enums.js";

@ObjectType({
  description: "A typed reason why a placement did not (yet) produce an order. Messages never echo submitted values.",
})
export class OrderError {
  @Field(() => OrderErrorCode, { description: "Machine-readable reason: branch on this, not on `message`." })
  code!: OrderErrorCode;

  @Field(() => String, { description: "What happened and what to do next, for developers (not for end users)." })
  message!: string;

  @Field(() => [String], {
    nullable: true,
    description:
      'Path of the offending input field, e.g. ["input", "userMeta", "topupPhoneNumber"]; null when no single field is at fault.',
  })
  field!: string[] | null;

  @Field(() => String, {
    nullable: true,
    description: "Plum's errorId (e.g. PLE10018) when Plum reported one, for support tickets.",
  })
  upstreamErrorId!: string | null;

  @Field(() => Boolean, {
    description:
      "True when retrying the same request (same poNumber) may succeed; false when the input or poNumber must change.",
  })
  retryable!: boolean;

  @Field(() => Int, {
    nullable: true,
    description: "Seconds to wait before retrying, when Plum said so (RATE_LIMITED).",
  })
  retryAfterSeconds!: number | null;
}
