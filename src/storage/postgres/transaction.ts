// Pool access helpers: one interface for "a pool or a client", and transactions on a dedicated client.
import type { Pool, PoolClient, QueryConfig, QueryResult, QueryResultRow } from "pg";

export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
  /** A named (prepared) statement: see prepared.ts. */
  query<R extends QueryResultRow = QueryResultRow>(config: QueryConfig): Promise<QueryResult<R>>;
}

/**
 * Runs `fn` on one client inside BEGIN/COMMIT; rolls back and rethrows on failure. `begin`: the opening round trip,
 * which may append statements to BEGIN (a simple query, no parameters) to save a round trip.
 */
export async function inTransaction<T>(
  pool: Pool,
  fn: (client: PoolClient) => Promise<T>,
  begin: (client: PoolClient) => string = () => "BEGIN",
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // A backend that dies mid-transaction (failover, terminated) also emits 'error' on the client; without a
  // listener that would crash the process. The failed query rejects anyway; the client is discarded.
  const onError = (error: Error) => {
    broken = error;
  };
  client.on("error", onError);
  try {
    await client.query(begin(client));
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    try {
      await client.query("ROLLBACK");
    } catch (rollbackError) {
      // A client that cannot roll back is discarded rather than returned to the pool mid-transaction.
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    }
    throw error;
  } finally {
    client.off("error", onError);
    client.release(broken);
  }
}
