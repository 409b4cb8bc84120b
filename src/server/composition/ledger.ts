// Opens the configured ledger (SQLite file or memory, or PostgreSQL) and says which engine serves.
import type { Logger } from "pino";
import type { Config } from "../../config/config.js";
import type { Ledger } from "../../storage/ledger.js";
import { openLedger } from "../../storage/openLedger.js";

export async function openAppLedger(config: Config, log: Logger): Promise<Ledger> {
  const ledger = await openLedger(config.database.url, {
    poolMax: config.database.poolMax,
    groupCommit: config.database.groupCommit,
  });
  log.info({ engine: ledger.engine }, "ledger ready");
  return ledger;
}
