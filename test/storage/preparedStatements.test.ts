// Named statements on the PostgreSQL placement path: prepared once per connection, and a table that changed shape
// under them (another replica migrated) does not fail the statement: it runs again unnamed, and later calls
// prepare afresh.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryPrepared } from "../../src/storage/postgres/prepared.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres.js";

describe("PostgreSQL named statements", () => {
  let db: TestDatabase;
  let client: pg.Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query("CREATE TABLE t (id int PRIMARY KEY, a text)");
    await client.query("INSERT INTO t VALUES (1, 'one')");
  });
  afterAll(async () => {
    await client.end();
    await db.drop();
  });

  it("prepares once per connection and survives a change of the table's shape", async () => {
    const text = "SELECT * FROM t WHERE id = $1";
    expect((await queryPrepared(client, text, [1])).rows).toEqual([{ id: 1, a: "one" }]);
    const { rows: prepared } = await client.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement = $1",
      [text],
    );
    expect(prepared[0]?.n).toBe(1);
    await client.query("ALTER TABLE t ADD COLUMN b text DEFAULT 'new'");
    expect((await queryPrepared(client, text, [1])).rows).toEqual([{ id: 1, a: "one", b: "new" }]);
    expect((await queryPrepared(client, text, [1])).rows).toEqual([{ id: 1, a: "one", b: "new" }]);
  });

  it("after a stale plan, statements carry their generation in the text (a pooler that names by text re-prepares)", async () => {
    const text = "SELECT * FROM t WHERE id = $1 AND a IS NOT NULL";
    await queryPrepared(client, text, [1]);
    await client.query("ALTER TABLE t ADD COLUMN c text DEFAULT 'c'");
    expect((await queryPrepared(client, text, [1])).rows).toEqual([{ id: 1, a: "one", b: "new", c: "c" }]);
    await queryPrepared(client, text, [1]);
    const { rows } = await client.query<{ statement: string }>(
      "SELECT statement FROM pg_prepared_statements WHERE statement LIKE '%a IS NOT NULL%' ORDER BY prepare_time",
    );
    // Two statements on this connection: the one prepared before the change, and one with a different text.
    expect(rows).toHaveLength(2);
    expect(rows[1]?.statement).toMatch(/^\/\* generation \d+ \*\//);
    expect(rows[1]?.statement).not.toBe(rows[0]?.statement);
  });

  it("inside a transaction a stale plan fails with its own error, not 'transaction aborted'", async () => {
    const text = "SELECT * FROM t WHERE id = $1 AND a <> ''";
    await queryPrepared(client, text, [1]);
    await client.query("ALTER TABLE t ADD COLUMN d text DEFAULT 'd'");
    await client.query("BEGIN");
    try {
      await expect(queryPrepared(client, text, [1])).rejects.toMatchObject({
        code: "0A000",
        routine: "RevalidateCachedQuery",
      });
    } finally {
      await client.query("ROLLBACK");
    }
  });
});
