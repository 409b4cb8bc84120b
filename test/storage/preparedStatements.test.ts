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
});
