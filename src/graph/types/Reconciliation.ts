import { DateTimeISOResolver } from "graphql-scalars";
import { Field, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "One run of the reconciliation against Plum's getOrderHistory." })
export class ReconciliationRun {
  @Field(() => Int, { description: "The run's number." })
  id!: number;

  @Field(() => String, { description: "`running`, `succeeded` or `failed` (then tried again within 5 minutes)." })
  status!: string;

  @Field(() => DateTimeISOResolver, { description: "When the run started (database time)." })
  startedAt!: Date;

  @Field(() => DateTimeISOResolver, { nullable: true, description: "When it finished; null while running." })
  finishedAt!: Date | null;

  @Field(() => DateTimeISOResolver, {
    nullable: true,
    description: "Orders placed from this instant on were compared.",
  })
  windowFrom!: Date | null;

  @Field(() => DateTimeISOResolver, { nullable: true, description: "…up to this instant (the run's start)." })
  windowTo!: Date | null;

  @Field(() => Int, { description: "getOrderHistory pages read." })
  pages!: number;

  @Field(() => Int, { description: "Orders Plum's history listed." })
  historyOrders!: number;

  @Field(() => Int, { description: "PENDING placements the run proved placed (adopted through the placement engine)." })
  adopted!: number;

  @Field(() => Int, { description: "Discrepancies this run found (0: Plum and the ledger agree)." })
  discrepancies!: number;

  @Field(() => String, { nullable: true, description: "Why a failed run failed." })
  error!: string | null;
}

@ObjectType({
  description: "Something Plum and the ledger disagree about; never imported as ours, an operator decides.",
})
export class ReconciliationDiscrepancy {
  @Field(() => Int, { description: "The discrepancy's number." })
  id!: number;

  @Field(() => String, {
    description:
      "`plum_order_not_in_ledger` (Plum holds an order the ledger does not, or one under a rejected poNumber), `duplicate_upstream_order` (a second Plum order for one poNumber) or `ledger_order_not_at_plum` (a placed order Plum's history lacks).",
  })
  alert!: string;

  @Field(() => String, { nullable: true, description: "The poNumber Plum's order carries; null when it has none." })
  poNumber!: string | null;

  @Field(() => String, { description: "Plum's orderId of the order in question." })
  orderId!: string;

  @Field(() => String, {
    nullable: true,
    description: "The ledger's state for the poNumber (PENDING, PLACED, REJECTED); null when unknown.",
  })
  ledgerState!: string | null;

  @Field(() => DateTimeISOResolver, {
    nullable: true,
    description: "When the order was placed (Plum's date, or the ledger's).",
  })
  orderDate!: Date | null;

  @Field(() => DateTimeISOResolver, { description: "The first run that found it." })
  firstSeenAt!: Date;

  @Field(() => DateTimeISOResolver, { description: "The latest run that found it." })
  lastSeenAt!: Date;

  @Field(() => DateTimeISOResolver, {
    nullable: true,
    description: "Set when a later run no longer found it; null while open.",
  })
  resolvedAt!: Date | null;
}

@ObjectType({ description: "The reconciliation's last runs and its discrepancies." })
export class ReconciliationReport {
  @Field(() => [ReconciliationRun], { description: "Runs started in the range, newest first (at most 100)." })
  runs!: ReconciliationRun[];

  @Field(() => [ReconciliationDiscrepancy], {
    description: "Open discrepancies, and those seen in the range, newest first (at most 500).",
  })
  discrepancies!: ReconciliationDiscrepancy[];

  @Field(() => Int, { description: "Open discrepancies: 0 means no discrepancies." })
  openDiscrepancies!: number;
}
