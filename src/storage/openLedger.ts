// Opens and migrates the ledger that DATABASE_URL names.
import { parseDatabaseUrl } from "./databaseUrl.js";
import type { Ledger } from "./ledger.js";
import type { GroupCommitOptions } from "./sqlite/groupCommit.js";
import { PostgresLedger } from "./postgres/PostgresLedger.js";
import { SqliteLedger } from "./sqlite/SqliteLedger.js";

export interface OpenLedgerOptions {
  /** Where SQLite lives when DATABASE_URL is unset or empty; default ./data/orders.sqlite. */
  sqliteDefaultPath?: string;
  /** PostgreSQL pool size per replica. */
  poolMax?: number;
  /** How concurrent writes share a transaction (LEDGER_GROUP_COMMIT_*). */
  groupCommit?: GroupCommitOptions;
}

export async function openLedger(databaseUrl: string | undefined, options: OpenLedgerOptions = {}): Promise<Ledger> {
  const target = parseDatabaseUrl(databaseUrl, options.sqliteDefaultPath);
  const ledger: Ledger =
    target.engine === "sqlite"
      ? new SqliteLedger(target.path, { groupCommit: options.groupCommit })
      : new PostgresLedger({ connectionString: target.connectionString, max: options.poolMax });
  try {
    await ledger.migrate();
  } catch (error) {
    await ledger.close();
    throw error;
  }
  return ledger;
}
