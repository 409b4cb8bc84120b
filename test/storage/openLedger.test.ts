import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SQLITE_PATH, parseDatabaseUrl } from "../../src/storage/databaseUrl.js";
import { openLedger } from "../../src/storage/openLedger.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres.js";

const root = mkdtempSync(join(tmpdir(), "ledger-open-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("parseDatabaseUrl", () => {
  it("defaults to SQLite at ./data/orders.sqlite when unset or empty", () => {
    const expected = { engine: "sqlite", path: resolve("data/orders.sqlite") };
    expect(DEFAULT_SQLITE_PATH).toBe("./data/orders.sqlite");
    expect(parseDatabaseUrl(undefined)).toEqual(expected);
    expect(parseDatabaseUrl("")).toEqual(expected);
    expect(parseDatabaseUrl("  ")).toEqual(expected);
    expect(parseDatabaseUrl(undefined, "/var/lib/orders/ledger.db")).toEqual({
      engine: "sqlite",
      path: "/var/lib/orders/ledger.db",
    });
  });

  it("accepts sqlite: with an absolute path, a relative path or :memory:", () => {
    expect(parseDatabaseUrl("sqlite:/abs/path.db")).toEqual({ engine: "sqlite", path: "/abs/path.db" });
    expect(parseDatabaseUrl("sqlite:///abs/path.db")).toEqual({ engine: "sqlite", path: "/abs/path.db" });
    expect(parseDatabaseUrl("sqlite:relative.db")).toEqual({ engine: "sqlite", path: resolve("relative.db") });
    expect(parseDatabaseUrl("SQLite:relative.db")).toEqual({ engine: "sqlite", path: resolve("relative.db") });
    expect(parseDatabaseUrl("sqlite::memory:")).toEqual({ engine: "sqlite", path: ":memory:" });
    expect(() => parseDatabaseUrl("sqlite:")).toThrow(/needs a file path/);
  });

  it("accepts postgres:// and postgresql:// as they are", () => {
    for (const url of ["postgres://app:pw@db:5432/orders", "postgresql://db/orders?sslmode=require"]) {
      expect(parseDatabaseUrl(url)).toEqual({ engine: "postgres", connectionString: url });
    }
  });

  it("rejects anything else without echoing credentials", () => {
    for (const url of ["mysql://app:s3cret-pw@db/orders", "postgres:app:s3cret-pw@db", "s3cret-pw", "http://x"]) {
      let message = "";
      try {
        parseDatabaseUrl(url);
      } catch (error) {
        message = error instanceof Error ? error.message : String(error);
      }
      expect(message).toMatch(/^DATABASE_URL has /);
      expect(message).not.toContain("s3cret-pw");
    }
    expect(() => parseDatabaseUrl("mysql://app:pw@db/orders")).toThrow(/unsupported scheme "mysql:"/);
  });
});

describe("openLedger", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it("opens and migrates SQLite at the default path when DATABASE_URL is unset", async () => {
    const path = join(root, "default", "orders.sqlite");
    const ledger = await openLedger(undefined, { sqliteDefaultPath: path });
    try {
      expect(ledger.engine).toBe("sqlite");
      expect(existsSync(path)).toBe(true);
      expect(await ledger.countPending()).toBe(0);
    } finally {
      await ledger.close();
    }
  });

  it("opens and migrates SQLite from a sqlite: URL", async () => {
    const path = join(root, "explicit", "ledger.db");
    const fileLedger = await openLedger(`sqlite:${path}`);
    const memoryLedger = await openLedger("sqlite::memory:");
    try {
      expect(existsSync(path)).toBe(true);
      expect(await fileLedger.getTokens()).toBeNull();
      expect(await memoryLedger.getTokens()).toBeNull();
    } finally {
      await fileLedger.close();
      await memoryLedger.close();
    }
  });

  it("opens and migrates PostgreSQL from a postgres:// URL", async () => {
    const ledger = await openLedger(database.url);
    try {
      expect(ledger.engine).toBe("postgres");
      expect(await ledger.countPending()).toBe(0);
    } finally {
      await ledger.close();
    }
  });

  it("fails without leaking the password when PostgreSQL refuses", async () => {
    const url = new URL(database.url);
    url.password = "s3cret-pw";
    url.pathname = "/orders_test_does_not_exist";
    const failure = await openLedger(url.toString()).then(
      () => new Error("opened"),
      (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
    );
    expect(failure.message).not.toBe("opened");
    expect(failure.message).not.toContain("s3cret-pw");
  });

  it("rejects an unsupported scheme", async () => {
    await expect(openLedger("mysql://app:s3cret-pw@db/orders")).rejects.toThrow(/unsupported scheme/);
  });
});
