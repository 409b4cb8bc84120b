// The reconciliation against Plum's history, for operators (orders:admin): the report, and a run on demand.
import { GraphQLError } from "graphql";
import { DateTimeISOResolver } from "graphql-scalars";
import { Arg, Ctx, Mutation, Query, Resolver } from "type-graphql";
import { RequiresScopes } from "../access/RequiresScopes.js";
import { Scope } from "../../auth/caller.js";
import { DISCREPANCY_KINDS, type StoredDiscrepancy, type StoredRun } from "../../orders/reconciliation/ports.js";
import type { GraphContext } from "../context.js";
import { ReconciliationDiscrepancy, ReconciliationReport, ReconciliationRun } from "../types/Reconciliation.js";

const DAY_MS = 86_400_000;
const MAX_RUNS = 100;
const MAX_DISCREPANCIES = 500;

function toRun(run: StoredRun): ReconciliationRun {
  return { ...run };
}

function toDiscrepancy(d: StoredDiscrepancy): ReconciliationDiscrepancy {
  return {
    id: d.id,
    alert: d.kind,
    poNumber: d.poNumber,
    orderId: d.orderId,
    ledgerState: d.ledgerState,
    orderDate: d.orderDate,
    firstSeenAt: d.firstSeenAt,
    lastSeenAt: d.lastSeenAt,
    resolvedAt: d.resolvedAt,
  };
}

@Resolver()
export class ReconciliationResolver {
  @RequiresScopes(Scope.admin)
  @Query(() => ReconciliationReport, {
    description:
      "Admin only. The reconciliation runs started between `from` and `to` (default: the last 7 days) and the discrepancies found.",
  })
  async reconciliationReport(
    @Arg("from", () => DateTimeISOResolver, {
      nullable: true,
      description: "Start of the range (default: 7 days before `to`).",
    })
    from: Date | null,
    @Arg("to", () => DateTimeISOResolver, { nullable: true, description: "End of the range (default: now)." })
    to: Date | null,
    @Ctx() context: GraphContext,
  ): Promise<ReconciliationReport> {
    const until = to ?? new Date();
    const since = from ?? new Date(until.getTime() - 7 * DAY_MS);
    if (since > until) throw new GraphQLError("`from` is after `to`.", { extensions: { code: "BAD_USER_INPUT" } });
    const { store } = context.services.reconciliation;
    const [runs, discrepancies, open] = await Promise.all([
      store.listRuns(since, until, MAX_RUNS),
      store.listDiscrepancies(since, until, MAX_DISCREPANCIES),
      store.countOpenDiscrepancies(),
    ]);
    return {
      runs: runs.map(toRun),
      discrepancies: discrepancies.map(toDiscrepancy),
      openDiscrepancies: DISCREPANCY_KINDS.reduce((sum, kind) => sum + open[kind], 0),
    };
  }

  @RequiresScopes(Scope.admin)
  @Mutation(() => ReconciliationRun, {
    nullable: true,
    description:
      "Admin only. Runs the reconciliation now (single-flight: null when a run is already in progress on some replica).",
  })
  async runReconciliation(@Ctx() context: GraphContext): Promise<ReconciliationRun | null> {
    const summary = await context.services.reconciliation.job.runOnce(true);
    if (summary === null) return null;
    const runs = await context.services.reconciliation.store.listRuns(
      summary.outcome.windowTo,
      new Date(Date.now() + DAY_MS),
      MAX_RUNS,
    );
    const run = runs.find((r) => r.id === summary.runId);
    return run === undefined ? null : toRun(run);
  }
}
