// Raised when a SQLite ledger file is already held by another connection (another process, or another open in this
// one). SQLite serves one process: start-up code can catch this class and print its message as the reason to stop.
import { hostname } from "node:os";

/** Who holds the file, as far as its owner note says (see ownerNote.ts); informational only. */
export interface SqliteLedgerHolder {
  pid: number;
  host: string;
}

export class SqliteLedgerInUseError extends Error {
  override readonly name = "SqliteLedgerInUseError";

  constructor(
    /** The ledger file (absolute). */
    readonly path: string,
    /** The holding process when it is known (and, on this host, still alive). */
    readonly holder: SqliteLedgerHolder | undefined,
    options?: ErrorOptions,
  ) {
    super(
      `the SQLite ledger ${path} is already open ${where(holder)}; SQLite serves one process — ` +
        "use PostgreSQL (DATABASE_URL=postgres://…) for several replicas",
      options,
    );
  }
}

function where(holder: SqliteLedgerHolder | undefined): string {
  if (holder === undefined) return "in another process";
  if (holder.host !== hostname()) return `in another process (pid ${holder.pid} on ${holder.host})`;
  if (holder.pid === process.pid) return `in this process (pid ${holder.pid})`;
  return `in another process (pid ${holder.pid})`;
}
