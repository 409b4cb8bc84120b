// The catalogue snapshot's conformance suite on both engines.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { PostgresLedger } from "../../src/storage/postgres/PostgresLedger.js";
import { SqliteLedger } from "../../src/storage/sqlite/SqliteLedger.js";
import { createTestDatabase } from "../support/postgres.js";
import { describeCatalogueConformance } from "./catalogueConformance.js";

const root = mkdtempSync(join(tmpdir(), "catalogue-sqlite-"));
let counter = 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));

describeCatalogueConformance("SQLite file", async () => {
  counter += 1;
  const ledger = new SqliteLedger(join(root, `case-${counter}`, "orders.sqlite"));
  await ledger.migrate();
  // One process serves a SQLite file: its "second replica" is the same ledger.
  return { ledger, second: ledger, cleanup: () => ledger.close() };
});

describeCatalogueConformance("PostgreSQL", async () => {
  // A fresh database per case: the snapshot is one per database.
  const own = await createTestDatabase();
  const ledger = new PostgresLedger({ connectionString: own.url, max: 4 });
  const second = new PostgresLedger({ connectionString: own.url, max: 4 });
  await ledger.migrate();
  await second.migrate();
  return {
    ledger,
    second,
    cleanup: async () => {
      await ledger.close();
      await second.close();
      await own.drop();
    },
  };
});
