// A throwaway PostgreSQL database per service run (same approach as the tests: CREATE DATABASE, DROP ... FORCE).
// BENCH_DATABASE_ADMIN_URL (or TEST_DATABASE_URL) overrides the admin connection.
import { randomBytes } from "node:crypto";
import pg from "pg";

const DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/test";

export interface BenchDatabase {
  url: string;
  drop(): Promise<void>;
}

function adminUrl(): string {
  return process.env["BENCH_DATABASE_ADMIN_URL"] || process.env["TEST_DATABASE_URL"] || DEFAULT_ADMIN_URL;
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function createBenchDatabase(): Promise<BenchDatabase> {
  const name = `orders_bench_${randomBytes(6).toString("hex")}`;
  await admin(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      await admin(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    },
  };
}

/** The server's version, for the results file. */
export async function postgresVersion(): Promise<string | null> {
  const client = new pg.Client({ connectionString: adminUrl() });
  try {
    await client.connect();
    const result = await client.query<{ server_version: string }>("SHOW server_version");
    return result.rows[0]?.server_version ?? null;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}
