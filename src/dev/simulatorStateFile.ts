// Where the built-in simulator keeps its orders across restarts. In development the ledger is an SQLite file that
// outlives `npm start`; the simulator's orders must too, or the two disagree after a restart (a pending order the
// simulator forgot can never be delivered). Beside the ledger: data/orders.sqlite → data/orders.simulator.json.
import { dirname, basename, extname, join, resolve } from "node:path";
import type { Config } from "../config/config.js";
import { parseDatabaseUrl } from "../storage/databaseUrl.js";
import { SQLITE_MEMORY } from "../storage/sqlite/openDatabase.js";

export function simulatorStateFile(
  config: Pick<Config, "env" | "simulatorStateFile" | "database">,
): string | undefined {
  const given = config.simulatorStateFile;
  if (given !== undefined) return given.toLowerCase() === "off" ? undefined : resolve(given);
  // Tests get a fresh simulator unless they ask; PostgreSQL and in-memory ledgers have no file to sit beside.
  if (config.env !== "development") return undefined;
  const target = parseDatabaseUrl(config.database.url);
  if (target.engine !== "sqlite" || target.path === SQLITE_MEMORY) return undefined;
  return join(dirname(target.path), `${basename(target.path, extname(target.path))}.simulator.json`);
}
