// The ledger's write counters (group commit and checkpoints), read from the ledger at scrape time. The only label
// is the engine: a fixed pair of values.
import { Counter, type Registry } from "prom-client";
import type { Ledger } from "../storage/ledger.js";

export type LedgerWriteSource = Pick<Ledger, "engine" | "writeCounts">;

export function registerLedgerMetrics(registry: Registry, ledger: LedgerWriteSource): void {
  const counter = (name: string, help: string, read: (counts: ReturnType<Ledger["writeCounts"]>) => number) =>
    new Counter({
      name,
      help,
      labelNames: ["engine"],
      registers: [registry],
      collect() {
        // The ledger keeps the running totals; the counter mirrors them.
        this.reset();
        this.inc({ engine: ledger.engine }, read(ledger.writeCounts()));
      },
    });
  counter("orders_ledger_commits_total", "Write transactions the ledger committed.", (c) => c.commits);
  counter(
    "orders_ledger_grouped_operations_total",
    "Write operations the ledger committed (divided by orders_ledger_commits_total: operations per commit under group commit).",
    (c) => c.operations,
  );
  counter(
    "orders_ledger_checkpoints_total",
    "WAL checkpoints the ledger ran off the request path (SQLite; 0 for PostgreSQL).",
    (c) => c.checkpoints,
  );
}
