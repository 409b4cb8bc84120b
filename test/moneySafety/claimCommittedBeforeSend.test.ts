// Issue 12's guard on group commit: a claim shares its COMMIT with concurrent requests' writes, and still every
// placeOrder reaches Plum only after its claim row is committed. The Plum stand-in is a real loopback server in
// front of the simulator: on each placeOrder it looks the Plum poNumber up on a separate, independent connection
// (PostgreSQL: a new client; SQLite: a copy of the file and its WAL, opened fresh, which is what a crash at that
// instant would leave on disk, since the ledger's own connection holds the file exclusively), then forwards it.
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import pg from "pg";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPlumSimulator, type PlumSimulator } from "../../src/simulator/index.js";
import { externalPlumEnv } from "../support/externalPlum.js";
import { startTestApp, type TestApp } from "../support/harness.js";
import { airmilesInput, newPoNumber } from "../support/orderInputs.js";
import { placeAirmilesStatus } from "../support/orderStatusOperations.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres.js";
import { parsePrometheus, valueOf } from "../support/prometheusText.js";

const CONCURRENT = 20;

/** Is the row for this Plum poNumber committed, seen from outside the ledger's connection? */
type CommittedCheck = (poNumber: string) => Promise<boolean>;

function sqliteCheck(file: string): CommittedCheck {
  return async (poNumber) => {
    // Synchronous from here to the copy's end: the ledger (same thread) cannot write in between.
    const dir = mkdtempSync(join(tmpdir(), "claim-check-"));
    try {
      const copy = join(dir, "copy.sqlite");
      copyFileSync(file, copy);
      if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${copy}-wal`);
      const db = new DatabaseSync(copy);
      try {
        return db.prepare("SELECT 1 FROM orders WHERE po_number = ?").get(poNumber) !== undefined;
      } finally {
        db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

/** A pool of the test's own: connections independent of the ledger's. */
function postgresCheck(pool: pg.Pool): CommittedCheck {
  return async (poNumber) => (await pool.query("SELECT 1 FROM orders WHERE po_number = $1", [poNumber])).rowCount === 1;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A loopback Plum in front of `sim` that runs `check` on every placeOrder before forwarding it. */
async function checkingPlum(
  sim: PlumSimulator,
  seen: Map<string, boolean>,
  check: () => CommittedCheck,
): Promise<{ server: Server; apiUrl: string }> {
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const parsed = JSON.parse(body.toString("utf8") || "{}") as {
        query?: string;
        variables?: { data?: { poNumber?: string } };
      };
      const poNumber = parsed.variables?.data?.poNumber;
      if (parsed.query?.endsWith(".placeOrder") === true && poNumber !== undefined)
        seen.set(poNumber, await check()(poNumber));
      const headers: Record<string, string> = {};
      for (const name of ["content-type", "authorization"]) {
        const value = req.headers[name];
        if (typeof value === "string") headers[name] = value;
      }
      const upstream = await request(new URL(req.url ?? "/", sim.baseUrl), {
        method: req.method as "POST",
        headers,
        body,
      });
      res.writeHead(upstream.statusCode, {
        "content-type": String(upstream.headers["content-type"] ?? "application/json"),
      });
      res.end(Buffer.from(await upstream.body.arrayBuffer()));
    })().catch((error: unknown) => {
      console.error("checking Plum stand-in failed", error);
      res.writeHead(502).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, apiUrl: `http://127.0.0.1:${port}${new URL(sim.apiUrl).pathname}` };
}

describe.each([
  { engine: "SQLite", postgres: false },
  { engine: "PostgreSQL", postgres: true },
])("$engine with group commit: the claim is committed before placeOrder leaves", ({ postgres }) => {
  let sim: PlumSimulator;
  let db: TestDatabase | undefined;
  let dir: string | undefined;
  let plum: Server;
  let app: TestApp;
  let check: CommittedCheck;
  let checkPool: pg.Pool | undefined;
  const seen = new Map<string, boolean>();

  beforeAll(async () => {
    sim = await createPlumSimulator();
    let databaseUrl: string;
    if (postgres) {
      db = await createTestDatabase();
      databaseUrl = db.url;
      checkPool = new pg.Pool({ connectionString: db.url, max: 4 });
      checkPool.on("error", () => undefined); // dropping the database at the end terminates its idle connections
      check = postgresCheck(checkPool);
    } else {
      dir = mkdtempSync(join(tmpdir(), "claim-committed-"));
      const file = join(dir, "ledger.sqlite");
      databaseUrl = `sqlite:${file}`;
      check = sqliteCheck(file);
    }
    const stand = await checkingPlum(sim, seen, () => check);
    plum = stand.server;
    app = await startTestApp({
      ...externalPlumEnv(sim),
      XOXODAY_API_URL: stand.apiUrl,
      DATABASE_URL: databaseUrl,
      LEDGER_GROUP_COMMIT_MAX_WAIT_MS: "1",
      LEDGER_GROUP_COMMIT_MAX_OPERATIONS: "64",
    });
  });
  afterAll(async () => {
    await app?.close();
    await new Promise((resolve) => plum?.close(resolve));
    await sim?.close();
    await checkPool?.end();
    await db?.drop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it(`${CONCURRENT} concurrent placements: each claim row is visible to another connection when its placeOrder arrives`, async () => {
    const before = app.app.ledger.writeCounts();
    const poNumbers = Array.from({ length: CONCURRENT }, () => newPoNumber("GC"));
    const payloads = await Promise.all(
      poNumbers.map((poNumber) => placeAirmilesStatus(app.url, airmilesInput({ poNumber }))),
    );
    const outcomes = payloads.map((p) => [p.outcome, ...p.errors.map((e) => e.code)].join(":"));
    expect(outcomes).toEqual(poNumbers.map(() => "PLACED"));
    expect(seen.size, "placeOrder requests the stand-in saw").toBe(CONCURRENT);
    expect([...seen.values()].every(Boolean), "every claim row committed before its placeOrder arrived").toBe(true);
    const after = app.app.ledger.writeCounts();
    expect(after.operations - before.operations).toBeGreaterThanOrEqual(2 * CONCURRENT); // claim + outcome each
    if (!postgres) {
      // Group commit was in effect: concurrent writes shared commits.
      expect(after.commits - before.commits).toBeLessThan(after.operations - before.operations);
    }
    // The benchmark reads the same counters from /metrics, labelled by engine only.
    const engine = postgres ? "postgres" : "sqlite";
    const samples = parsePrometheus(await (await request(`${new URL(app.url).origin}/metrics`)).body.text());
    const commits = valueOf(samples, "orders_ledger_commits_total", { engine }) ?? 0;
    expect(commits).toBeGreaterThanOrEqual(after.commits);
    expect(valueOf(samples, "orders_ledger_grouped_operations_total", { engine }) ?? 0).toBeGreaterThanOrEqual(
      after.operations,
    );
    expect(valueOf(samples, "orders_ledger_checkpoints_total", { engine })).toBeDefined();
    expect(
      samples
        .filter((s) => s.name.startsWith("orders_ledger_"))
        .every((s) => Object.keys(s.labels).join() === "engine"),
    ).toBe(true);
  });
});
