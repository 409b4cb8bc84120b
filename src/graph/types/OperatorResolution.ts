// An operator's decision on an order that needs one (docs/runbook.md, "Resolving an order that needs an operator").
import { Field, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { Order } from "./Order.js";

export enum OperatorVerdict {
  PLACED = "PLACED",
  NOT_PLACED = "NOT_PLACED",
  ACKNOWLEDGED = "ACKNOWLEDGED",
}

registerEnumType(OperatorVerdict, {
  name: "OperatorVerdict",
  description: "What the operator found. The service checks it at Plum and applies it only if Plum bears it out.",
  valuesConfig: {
    PLACED: {
      description:
        "Plum holds our order `orderId` for this poNumber: checked with getOrderDetails (it must be ours), then adopted.",
    },
    NOT_PLACED: {
      description:
        "Nothing was placed: refused while any proof that the order exists is on record; checked with a getOrderDetails look-up by poNumber after Plum's processing window; then a final rejection (never re-sent).",
    },
    ACKNOWLEDGED: {
      description:
        "A PLACED order's alert (a late or second order at Plum) was handled (refunded or honoured): clears the alert.",
    },
  },
});

export enum OperatorResolutionOutcome {
  PLACED = "PLACED",
  REJECTED = "REJECTED",
  ACKNOWLEDGED = "ACKNOWLEDGED",
  REFUSED = "REFUSED",
}

registerEnumType(OperatorResolutionOutcome, {
  name: "OperatorResolutionOutcome",
  description: "What became of the decision. Every decision, refused or not, is recorded in the order's attempt log.",
  valuesConfig: {
    PLACED: {
      description: "The order is PLACED (also when NOT_PLACED was claimed but Plum answered our order: it exists).",
    },
    REJECTED: { description: "The order is REJECTED for good: the poNumber is never sent again." },
    ACKNOWLEDGED: { description: "The alert on the PLACED order was cleared." },
    REFUSED: {
      description: "Not applied; `refusal` says why. The order is as it was (but for what the look-up learned).",
    },
  },
});

export enum OperatorRefusal {
  not_awaiting_operator = "not_awaiting_operator",
  not_ours = "not_ours",
  not_found_at_plum = "not_found_at_plum",
  proof_names_other_order = "proof_names_other_order",
  ownership_unproven = "ownership_unproven",
  existence_proven = "existence_proven",
  processing_window_open = "processing_window_open",
  plum_unreachable = "plum_unreachable",
  unknown_order = "unknown_order",
  busy = "busy",
  already_final = "already_final",
  pending_needs_verdict = "pending_needs_verdict",
}

registerEnumType(OperatorRefusal, {
  name: "OperatorRefusal",
  description: "Why an operator's decision was not applied.",
  valuesConfig: {
    not_awaiting_operator: {
      description: "The order carries no operator alert: the engine is still deciding it (or nothing is left to do).",
    },
    not_ours: {
      description:
        "Plum's order is not ours (another poNumber, recipient, product, denomination or quantity); for NOT_PLACED: Plum holds someone else's order under the poNumber after an attempt of ours may have reached it, so ours may exist too: ask Plum.",
    },
    not_found_at_plum: { description: "Plum does not know the order `orderId`." },
    proof_names_other_order: {
      description: "The proof on record (a webhook, Plum's history) names a different orderId: two orders may exist.",
    },
    ownership_unproven: {
      description:
        "Plum's order `orderId` does not carry our poNumber and no proof on record names it: it may be someone else's (a dashboard order, one without a poNumber).",
    },
    existence_proven: {
      description:
        "Proof that the order exists is on record: it is never rejected. Find it (webhook, history, Plum's dashboard) and use PLACED.",
    },
    processing_window_open: {
      description:
        "Plum may still be creating the order (its processing window since the last attempt has not passed): try again later.",
    },
    plum_unreachable: { description: "Plum could not answer the check: try again." },
    unknown_order: { description: "No order under this poNumber (Plum's poNumber, as alerts and logs name it)." },
    busy: { description: "The order is being worked on (its lease is held) or changed meanwhile: try again." },
    already_final: { description: "The order is PLACED or REJECTED already." },
    pending_needs_verdict: { description: "A PENDING order needs PLACED or NOT_PLACED, not ACKNOWLEDGED." },
  },
});

@InputType({ description: "An operator's decision on an order that needs one." })
export class ResolveOrderInput {
  @Field(() => String, { description: "Plum's poNumber of the order (as the alert, the logs and the ledger name it)." })
  poNumber!: string;

  @Field(() => OperatorVerdict, { description: "What the operator found." })
  verdict!: OperatorVerdict;

  @Field(() => ID, { nullable: true, description: "PLACED only: Plum's orderId of our order." })
  orderId?: string | null;

  @Field(() => String, {
    description: "What the operator checked (1–500 characters). Kept in the attempt log; never logged.",
  })
  note!: string;
}

@ObjectType({ description: "What became of an operator's decision." })
export class OperatorResolution {
  @Field(() => OperatorResolutionOutcome, { description: "Whether the decision was applied, and how." })
  outcome!: OperatorResolutionOutcome;

  @Field(() => OperatorRefusal, { nullable: true, description: "Why it was refused; null otherwise." })
  refusal!: OperatorRefusal | null;

  @Field(() => Order, {
    nullable: true,
    description: "The order as it is now (null: no such poNumber, or not placed).",
  })
  order!: Order | null;
}
