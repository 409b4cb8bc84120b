// Named (prepared) statements for the placement path: each pooled connection parses and plans a statement once
// instead of on every order. The backend runs on the same cores as the service; measured at 64 connections, its CPU
// per order fell from about 2.0 to 1.2 ms. Only texts from small fixed sets are named here (the claim's variants, the
// look-ups, the outcome update's patch shapes), and at most MAX_NAMES of them: every connection keeps what it
// prepared until it closes.
import { createHash } from "node:crypto";
import type { QueryResult, QueryResultRow } from "pg";
import type { Queryable } from "./transaction.js";

const MAX_NAMES = 256;
const names = new Map<string, string>();
/** Bumped when a migration changed a table under prepared statements: new names, so every connection re-prepares. */
let generation = 0;

function nameFor(text: string): string | null {
  const known = names.get(text);
  if (known !== undefined) return known;
  if (names.size >= MAX_NAMES) return null;
  const name = `orders_${generation}_${createHash("sha1").update(text).digest("hex").slice(0, 20)}`;
  names.set(text, name);
  return name;
}

/** PostgreSQL refuses to run a prepared `SELECT *`/`RETURNING *` whose table changed shape (another replica migrated). */
function isStalePlan(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error as { code?: unknown }).code === "0A000" &&
    error.message.includes("cached plan must not change result type")
  );
}

/**
 * Runs `text` as a named statement. A stale plan is refused before the statement runs, so outside a transaction it is
 * safe to run it again unnamed (inside one, the transaction is aborted and the retry fails like any other error).
 */
export async function queryPrepared<R extends QueryResultRow>(
  db: Queryable,
  text: string,
  values: unknown[],
): Promise<QueryResult<R>> {
  const name = nameFor(text);
  if (name === null) return db.query<R>(text, values);
  try {
    return await db.query<R>({ name, text, values });
  } catch (error) {
    if (!isStalePlan(error)) throw error;
    generation += 1;
    names.clear();
    return db.query<R>(text, values);
  }
}
