// DATABASE_URL → which engine, where. Error messages name the scheme at most: the URL may carry a password.
import { resolve } from "node:path";
import { SQLITE_MEMORY } from "./sqlite/openDatabase.js";

export const DEFAULT_SQLITE_PATH = "./data/orders.sqlite";

export type DatabaseTarget = { engine: "sqlite"; path: string } | { engine: "postgres"; connectionString: string };

/**
 * Unset or empty → SQLite at `sqliteDefaultPath` (default ./data/orders.sqlite, relative to the working directory).
 * `sqlite:<path>` (absolute, relative or `:memory:`; `sqlite:///abs/path` also works) → SQLite.
 * `postgres://…` or `postgresql://…` → PostgreSQL.
 */
export function parseDatabaseUrl(
  databaseUrl: string | undefined,
  sqliteDefaultPath: string = DEFAULT_SQLITE_PATH,
): DatabaseTarget {
  const url = databaseUrl?.trim() ?? "";
  if (url === "") return { engine: "sqlite", path: resolve(sqliteDefaultPath) };

  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase();
  if (scheme === "sqlite") {
    let path = url.slice("sqlite:".length);
    if (path.startsWith("//")) path = path.slice(2);
    if (path === "") throw new Error("DATABASE_URL sqlite: needs a file path, e.g. sqlite:./data/orders.sqlite");
    return { engine: "sqlite", path: path === SQLITE_MEMORY ? SQLITE_MEMORY : resolve(path) };
  }
  if ((scheme === "postgres" || scheme === "postgresql") && url.slice(scheme.length + 1).startsWith("//")) {
    return { engine: "postgres", connectionString: url };
  }

  const named = scheme === undefined ? "no scheme" : `unsupported scheme "${scheme}:"`;
  throw new Error(`DATABASE_URL has ${named}; expected sqlite:<path>, sqlite::memory:, postgres://… or postgresql://…`);
}
