// The shared Plum budget on PostgreSQL: every replica takes a send slot in one transaction under a per-operation
// advisory lock, on the database's clock, so the log is the same for all of them.
import type { Pool } from "pg";
import { grantFrom, type LogEntry } from "../../orders/budget/slidingWindow.js";
import type { BudgetClass, BudgetGrant, BudgetLedger, BudgetRule, BudgetUsage } from "../../orders/budget/ports.js";
import type { PlumOperationName } from "../../plum/wire.js";
import { PLUM_BUDGET_LOCK_CLASS } from "./advisoryLocks.js";
import { inTransaction } from "./transaction.js";

export class PostgresBudgetLedger implements BudgetLedger {
  constructor(private readonly pool: Pool) {}

  async take(operation: PlumOperationName, klass: BudgetClass, rule: BudgetRule): Promise<BudgetGrant> {
    return inTransaction(this.pool, async (client) => {
      await client.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [PLUM_BUDGET_LOCK_CLASS, operation]);
      // The clock is read after the lock: a taker that waited sees the sends made while it waited.
      const { rows } = await client.query<{
        at: string | null;
        class: BudgetClass;
        now: string;
        penalty: string | null;
      }>(
        `WITH t AS (SELECT clock_timestamp() AS now),
         pruned AS (DELETE FROM plum_budget_sends WHERE operation = $1 AND sent_at <= (SELECT now FROM t) - $2 * interval '1 millisecond')
         SELECT (extract(epoch FROM s.sent_at) * 1000)::float8 AS at, s.class, (extract(epoch FROM t.now) * 1000)::float8 AS now,
                (SELECT (extract(epoch FROM until) * 1000)::float8 FROM plum_budget_penalties WHERE operation = $1) AS penalty
         FROM t LEFT JOIN plum_budget_sends s ON s.operation = $1 AND s.sent_at > t.now - $2 * interval '1 millisecond'
         ORDER BY s.sent_at NULLS FIRST`,
        [operation, rule.windowMs],
      );
      const now = Number(rows[0]?.now ?? Date.now());
      const penalty = rows[0]?.penalty ?? null;
      const log: LogEntry[] = rows
        .filter((row) => row.at !== null)
        .map((row) => ({ at: Number(row.at), klass: row.class }));
      const grant = grantFrom(log, klass, rule, now, penalty === null ? null : Number(penalty));
      if (grant.granted) {
        await client.query(
          "INSERT INTO plum_budget_sends (operation, class, sent_at) VALUES ($1, $2, to_timestamp($3 / 1000.0))",
          [operation, klass, now],
        );
      }
      return grant;
    });
  }

  async penalize(operation: PlumOperationName, ms: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO plum_budget_penalties (operation, until) VALUES ($1, clock_timestamp() + $2 * interval '1 millisecond')
       ON CONFLICT (operation) DO UPDATE SET until = GREATEST(plum_budget_penalties.until, EXCLUDED.until)`,
      [operation, ms],
    );
  }

  async usage(operation: PlumOperationName, windowMs: number): Promise<BudgetUsage> {
    const { rows } = await this.pool.query<{ used: string; penalty: Date | null }>(
      `SELECT (SELECT count(*) FROM plum_budget_sends WHERE operation = $1 AND sent_at > clock_timestamp() - $2 * interval '1 millisecond') AS used,
              (SELECT until FROM plum_budget_penalties WHERE operation = $1 AND until > clock_timestamp()) AS penalty`,
      [operation, windowMs],
    );
    return { used: Number(rows[0]?.used ?? 0), penaltyUntil: rows[0]?.penalty ?? null };
  }
}
