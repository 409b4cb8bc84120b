import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresMigrations } from "../../src/storage/migrations/postgresMigrations.js";
import { PostgresLedger } from "../../src/storage/postgres/PostgresLedger.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres.js";
import { describeLedgerConformance } from "./conformance.js";
import { TOKEN_LOCK_KEY } from "../../src/storage/postgres/advisoryLocks.js";
import { attempt, lease, placement, tokens, uniqueOrderId, uniquePo, webhook } from "./fixtures.js";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

function twoReplicas(): { replicas: PostgresLedger[]; pick: (i: number) => PostgresLedger } {
  const first = ledgerOn(database.url);
  const second = ledgerOn(database.url);
  return { replicas: [first, second], pick: (i) => (i % 2 === 0 ? first : second) };
}

function ledgerOn(url: string): PostgresLedger {
  // Several connections per instance, so concurrency tests really race inside PostgreSQL.
  return new PostgresLedger({ connectionString: url, max: 6 });
}

describeLedgerConformance("PostgreSQL", async () => {
  const ledger = ledgerOn(database.url);
  await ledger.migrate();
  return {
    ledger,
    reopen: async () => {
      const again = ledgerOn(database.url);
      await again.migrate();
      return again;
    },
    cleanup: () => ledger.close(),
  };
});

describe("PostgresLedger across replicas", () => {
  it("lets two instances migrate a fresh database at the same time", async () => {
    const fresh = await createTestDatabase();
    const replicas = [ledgerOn(fresh.url), ledgerOn(fresh.url)];
    try {
      await Promise.all(replicas.map((replica) => replica.migrate()));
      await Promise.all(replicas.map((replica) => replica.ping()));

      const client = new pg.Client({ connectionString: fresh.url });
      await client.connect();
      try {
        const { rows } = await client.query("SELECT version, name FROM schema_migrations ORDER BY version");
        expect(rows).toEqual(postgresMigrations.map(({ version, name }) => ({ version, name })));
      } finally {
        await client.end();
      }
    } finally {
      for (const replica of replicas) await replica.close();
      await fresh.drop();
    }
  });

  it("lets exactly one of 50 concurrent claims win across two instances", async () => {
    const { replicas, pick } = twoReplicas();
    try {
      const poNumber = uniquePo("replica-race");
      const now = new Date();
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => pick(i).claim(placement(poNumber), lease(`replica-${i}`, now))),
      );

      expect(results.filter((result) => result.claimed)).toHaveLength(1);
      expect(new Set(results.map((result) => result.record.leaseOwner)).size).toBe(1);
    } finally {
      for (const replica of replicas) await replica.close();
    }
  });

  it("lets exactly one of two instances take an expired lease", async () => {
    const { replicas, pick } = twoReplicas();
    try {
      const poNumber = uniquePo("replica-lease");
      await pick(0).claim(placement(poNumber), lease("crashed", new Date(Date.now() - 60_000)));
      const now = new Date();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => pick(i).acquireLease(poNumber, lease(`replica-${i}`, now))),
      );

      expect(results.filter((result) => result !== null)).toHaveLength(1);
    } finally {
      for (const replica of replicas) await replica.close();
    }
  });

  it("never loses a webhook that races the update linking its orderId", async () => {
    const { replicas, pick } = twoReplicas();
    try {
      for (let round = 0; round < 25; round += 1) {
        const poNumber = uniquePo("replica-webhook");
        const orderId = uniqueOrderId();
        await pick(0).claim(placement(poNumber), lease("replica-a", new Date()));
        await Promise.all([
          pick(round).update(poNumber, "replica-a", { orderId, state: "PLACED" }, true),
          pick(round + 1).recordWebhookEvent(webhook({ orderId })),
        ]);
        expect((await pick(0).findByPlumPoNumber(poNumber))?.deliveryStatus).toBe("delivered");
      }
    } finally {
      for (const replica of replicas) await replica.close();
    }
  });
});

describe("PostgresLedger token lock", () => {
  it("retries the commit of a rotated pair when its transaction dies after the refresh", async () => {
    const ledger = ledgerOn(database.url);
    const killer = new pg.Client({ connectionString: database.url });
    await killer.connect();
    try {
      await ledger.migrate();
      const rotated = tokens(`access-${uniqueOrderId()}`);
      const marker = uniquePo("token-retry");
      const answer = attempt(marker, { operation: "tokenRefresh", phase: "response", httpStatus: 200 });
      const result = await ledger.withTokenLock(async () => {
        // Plum has rotated the pair; now the connection holding the lock (and the transaction) dies.
        await killer.query(
          `SELECT pg_terminate_backend(pid) FROM pg_locks
           WHERE locktype = 'advisory' AND classid = 0 AND objid = $1 AND granted`,
          [TOKEN_LOCK_KEY],
        );
        return { store: rotated, result: "rotated", attempts: [answer] };
      });
      expect(result).toBe("rotated");
      expect(await ledger.getTokens()).toEqual(rotated);
      expect(await ledger.listAttempts(marker)).toEqual([answer]);
    } finally {
      await killer.end();
      await ledger.close();
    }
  });
});

describe("PostgresLedger bulk claims", () => {
  // Found in review: a bulk claim meeting an existing row read it on a second pool connection while its transaction
  // held the first; concurrent retries exhausted the pool and the whole replica hung (reconciler, pings, placements).
  it("concurrent retries of one bulk call on a pool of 2 all answer, and the pool stays usable", async () => {
    const fresh = await createTestDatabase();
    const ledger = new PostgresLedger({ connectionString: fresh.url, max: 2 });
    try {
      await ledger.migrate();
      const items = [uniquePo("BULK"), uniquePo("BULK"), uniquePo("BULK")].map((po) => placement(po));
      expect((await ledger.claimQueued(items)).map((r) => r.claimed)).toEqual([true, true, true]);
      const retries = await Promise.all([ledger.claimQueued(items), ledger.claimQueued(items)]);
      for (const answers of retries) {
        expect(answers.map((r) => [r.claimed, r.record.poNumber])).toEqual(items.map((p) => [false, p.poNumber]));
      }
      await ledger.ping();
    } finally {
      await ledger.close();
      await fresh.drop();
    }
  }, 20_000);
});
