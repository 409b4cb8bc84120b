// The audited operator path for orders that need a person (admin only). The decision is evidence for the placement
// engine (PlacementService.resolveByOperator), never an edit of the row.
import { GraphQLError } from "graphql";
import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import { Scope } from "../../auth/caller.js";
import { isCleanText } from "../../orders/cleanText.js";
import { RequiresScopes } from "../access/RequiresScopes.js";
import type { GraphContext } from "../context.js";
import { toOrder } from "../toGraph.js";
import {
  OperatorRefusal,
  OperatorResolution,
  OperatorResolutionOutcome,
  OperatorVerdict,
  ResolveOrderInput,
} from "../types/OperatorResolution.js";

const MAX_NOTE = 500;
const ORDER_ID = /^[0-9]{1,20}$/;

function badInput(message: string, field: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT", field: ["input", field] } });
}

@Resolver()
export class OperatorResolver {
  @RequiresScopes(Scope.admin)
  @Mutation(() => OperatorResolution, {
    description:
      "Admin only. Resolves an order that needs an operator (alert `order_needs_operator` or `po_number_held_by_different_order`): the decision is checked at Plum, applied only if Plum bears it out, and recorded in the order's attempt log with who made it. See docs/runbook.md.",
  })
  async resolveOrderNeedingOperator(
    @Arg("input", () => ResolveOrderInput, { description: "The order (Plum's poNumber), the verdict and why." })
    input: ResolveOrderInput,
    @Ctx() context: GraphContext,
  ): Promise<OperatorResolution> {
    const note = input.note.trim();
    if (note.length === 0 || note.length > MAX_NOTE || !isCleanText(note)) {
      throw badInput(`note must be 1–${MAX_NOTE} characters of plain text.`, "note");
    }
    if (input.poNumber.length === 0 || input.poNumber.length > 200 || !isCleanText(input.poNumber))
      throw badInput("poNumber is malformed.", "poNumber");
    const orderId = input.orderId ?? null;
    if (input.verdict === OperatorVerdict.PLACED && (orderId === null || !ORDER_ID.test(orderId))) {
      throw badInput("PLACED needs Plum's orderId (digits).", "orderId");
    }
    if (input.verdict !== OperatorVerdict.PLACED && orderId !== null)
      throw badInput("orderId is for PLACED only.", "orderId");
    const decision =
      input.verdict === OperatorVerdict.PLACED
        ? { verdict: "placed" as const, orderId: orderId ?? "" }
        : input.verdict === OperatorVerdict.NOT_PLACED
          ? { verdict: "notPlaced" as const }
          : { verdict: "acknowledged" as const };
    const result = await context.services.placement.resolveByOperator(input.poNumber, decision, {
      operator: context.caller.subject,
      note,
    });
    const outcome = {
      placed: OperatorResolutionOutcome.PLACED,
      rejected: OperatorResolutionOutcome.REJECTED,
      acknowledged: OperatorResolutionOutcome.ACKNOWLEDGED,
      refused: OperatorResolutionOutcome.REFUSED,
    }[result.outcome];
    return {
      outcome,
      refusal: result.refusal === null ? null : OperatorRefusal[result.refusal],
      order: result.record?.state === "PLACED" ? toOrder(result.record) : null,
    };
  }
}
