// `orders` (the caller's placed orders, page by page) and `placement` (what a retry of the mutation would answer).
import { GraphQLError } from "graphql";
import { Arg, Ctx, Int, Query, Resolver } from "type-graphql";
import { RequiresScopes } from "../access/RequiresScopes.js";
import { Scope } from "../../auth/caller.js";
import { DEFAULT_PAGE_SIZE, InvalidPageSizeError } from "../../orders/listing/OrderList.js";
import { InvalidCursorError } from "../../orders/listing/orderCursor.js";
import type { OrderListFilter } from "../../orders/listing/ports.js";
import { normaliseDeliveryStatus } from "../../orders/orderView.js";
import type { GraphContext } from "../context.js";
import { PO_NUMBER } from "../inputs/rules.js";
import { OrderFilter } from "../inputs/OrderFilter.js";
import { toOrder, toOrderError } from "../toGraph.js";
import type { Order } from "../types/Order.js";
import { OrderConnection } from "../types/OrderConnection.js";
import { Placement } from "../types/Placement.js";

const MAX_FILTER_TEXT = 100;

function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT" } });
}

function toListFilter(filter: OrderFilter | null | undefined): OrderListFilter {
  const text = (value: string | null | undefined, name: string): string | null => {
    if (value === null || value === undefined) return null;
    if (value.length > MAX_FILTER_TEXT) throw badInput(`filter.${name} is longer than ${MAX_FILTER_TEXT} characters.`);
    return value;
  };
  const deliveryStatus = text(filter?.deliveryStatus, "deliveryStatus");
  const placedFrom = filter?.placedFrom ?? null;
  const placedTo = filter?.placedTo ?? null;
  if (placedFrom !== null && placedTo !== null && placedFrom > placedTo)
    throw badInput("filter.placedFrom is after filter.placedTo.");
  return {
    kind: filter?.kind ?? null,
    deliveryStatus: deliveryStatus === null ? null : normaliseDeliveryStatus(deliveryStatus),
    tag: text(filter?.tag, "tag"),
    placedFrom,
    placedTo,
  };
}

@Resolver()
export class OrderHistoryResolver {
  @RequiresScopes(Scope.read)
  @Query(() => OrderConnection, {
    description: `Your placed orders (everyone's with orders:admin), newest first. Pages of \`first\` (default ${DEFAULT_PAGE_SIZE}, at most 100; more is capped); continue with \`after: pageInfo.endCursor\`. Pending and rejected placements are not listed: follow them with \`placement\`.`,
  })
  async orders(
    @Arg("first", () => Int, {
      nullable: true,
      defaultValue: DEFAULT_PAGE_SIZE,
      description: "Orders per page, 1-100 (more is capped to 100).",
    })
    first: number | null,
    @Arg("after", () => String, {
      nullable: true,
      description: "The `endCursor` of the previous page; omit for the first page.",
    })
    after: string | null,
    @Arg("filter", () => OrderFilter, { nullable: true, description: "Only orders matching every given field." })
    filter: OrderFilter | null,
    @Ctx() context: GraphContext,
  ): Promise<OrderConnection> {
    try {
      const page = await context.services.orderList.page(
        context.caller,
        first ?? DEFAULT_PAGE_SIZE,
        after ?? null,
        toListFilter(filter),
      );
      return {
        edges: page.edges
          .map((edge) => ({ cursor: edge.cursor, node: toOrder(edge.record) as Order }))
          .filter((edge) => edge.node !== null),
        pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
        totalCount: page.totalCount,
      };
    } catch (error) {
      if (error instanceof InvalidCursorError || error instanceof InvalidPageSizeError) throw badInput(error.message);
      throw error;
    }
  }

  @RequiresScopes(Scope.read)
  @Query(() => Placement, {
    nullable: true,
    description:
      "What a retry of the placement mutation with this poNumber would answer now, without placing or sending anything (a pending one is checked at Plum, at most once per look-up interval). Null when the poNumber is unknown or not yours.",
  })
  async placement(
    @Arg("poNumber", () => String, { description: "The poNumber you placed the order with." }) poNumber: string,
    @Ctx() context: GraphContext,
  ): Promise<Placement | null> {
    if (!PO_NUMBER.test(poNumber)) return null; // cannot exist: not worth a ledger read
    const answer = await context.services.placementStatus(poNumber, context.caller, context.upstream);
    const kind = answer?.record.kind ?? null;
    if (answer === null || kind === null) return null;
    const { record } = answer;
    return {
      poNumber: record.callerPoNumber, // the caller's own, not the namespaced one Plum holds
      kind,
      outcome: answer.outcome,
      errors: answer.errors.map(toOrderError),
      order: record.state === "PLACED" ? toOrder(record) : null,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
    };
  }
}
