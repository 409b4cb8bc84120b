import { DateTimeISOResolver } from "graphql-scalars";
import { Field, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "One run of the reconciliation against Plum's getOrderHistory." })
export class ReconciliationRun {
  @Field(() => Int)
  id!: number;

  @Field(() => String, { description: "`running`, `succeeded` or `failed` (then tried again within 5 minutes)." })
  status!: string;

  @Field(() => DateTimeISOResolver)
  startedAt!: Date;

  @Field(() => DateTimeISOResolver, { nullable: true })
  finishedAt!: Date | null;

  @Field(() => DateTimeISOResolver, { nullable: true, description: "Orders placed from this instant on were compared." })
  windowFrom!: Date | null;

  @Field(() => DateTimeISOResolver, { nullable: true })
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

@ObjectType({ description: "Something Plum and the ledger disagree about; never imported as ours, an operator decides." })
export class ReconciliationDiscrepancy {
  @Field(() => Int)
  id!: number;

  @Field(() => String, {
    description:
      "`plum_order_not_in_ledger` (Plum holds an order the ledger does not, or one under a rejected poNumber), `duplicate_upstream_order` (a second Plum order for one poNumber) or `ledger_order_not_at_plum` (a placed order Plum's history lacks).",
  })
  alert!: string;

  @Field(() => String, { nullable: true })
  poNumber!: string | null;

  @Field(() => String)
  orderId!: string;

  @Field(() => String, { nullable: true, description: "The ledger's state for the poNumber (PENDING, PLACED, REJECTED); null when unknown." })
  ledgerState!: string | null;

  @Field(() => DateTimeISOResolver, { nullable: true })
  orderDate!: Date | null;

  @Field(() => DateTimeISOResolver)
  firstSeenAt!: Date;

  @Field(() => DateTimeISOResolver)
  lastSeenAt!: Date;

  @Field(() => DateTimeISOResolver, { nullable: true, description: "Set when a later run no longer found it; null while open." })
  resolvedAt!: Date | null;
}

@ObjectType({ description: "The reconciliation's last runs and its discrepancies." })
export class ReconciliationReport {
  @Field(() => [ReconciliationRun], { description: "Runs started in the range, newest first (at most 100)." })
  runs!: ReconciliationRun[];

  @Field(() => [ReconciliationDiscrepancy], { description: "Open discrepancies, and those seen in the range, newest first (at most 500)." })
  discrepancies!: ReconciliationDiscrepancy[];

  @Field(() => Int, { description: "Open discrepancies: 0 means no discrepancies." })
  openDiscrepancies!: number;
}
