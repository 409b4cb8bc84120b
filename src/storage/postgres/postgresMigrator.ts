// Applies pending PostgreSQL migrations under a session advisory lock: replicas starting at once queue up, and each
// later one finds the versions already recorded. Each migration commits with its schema_migrations row.
import type { Pool, PoolClient } from "pg";
import { assertOrdered, assertSameHistory, type Migration } from "../migrations/migration.js";
import { MIGRATION_LOCK_KEY } from "./advisoryLocks.js";

export async function migratePostgres(pool: Pool, migrations: readonly Migration[]): Promise<void> {
  assertOrdered(migrations);
  const client = await pool.connect();
  let failure: Error | undefined;
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    try {
      await applyPending(client, migrations);
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
    }
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    // After a failure the connection is destroyed, which also drops any session lock it still holds.
    client.release(failure);
  }
}

async function applyPending(client: PoolClient, migrations: readonly Migration[]): Promise<void> {
  await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const { rows } = await client.query<{ version: number; name: string }>("SELECT version, name FROM schema_migrations");
  const applied = new Map(rows.map((row) => [row.version, row.name]));
  assertSameHistory(migrations, applied);
  for (const migration of migrations) {
    if (applied.has(migration.version)) continue;
    await client.query("BEGIN");
    try {
      await client.query(migration.sql);
      await client.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", [
        migration.version,
        migration.name,
        new Date(),
      ]);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK");
      throw error;
    }
  }
}
