// Finding 2: a lone surrogate passed validation, PostgreSQL refused it, and the log line carried the driver's
// `where` text with the submitted e-mail and phone. Now every string input is checked for well-formed Unicode
// without control characters (INVALID_INPUT with the field), and the log's error serializer drops the driver
// fields that carry values. Recognisable personal data goes through every input and every failure path:
// validation, a driver error (a constraint whose `detail` quotes the row), a Plum error echoing the request, and a
// masked 500; afterwards no log line holds any of it.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OrderByPoNumberDocument } from "../__generated__/graphql.js";
import { gql } from "../support/graphqlClient.js";
import { startTestApp, type TestApp } from "../support/harness.js";
import { airmilesInput, topupInput } from "../support/orderInputs.js";
import { sendAirmiles, sendTopup } from "../support/orderOperations.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres.js";

const EMAIL = "pii.canary.person@example.com";
const CONTACT = "+1-470-555-0142";
const LOYALTY = "LOYAL-CANARY-4242";
const PHONE = "9812340042";
const TAG = "tag-canary-tag";
const CANARIES = ["pii.canary", "canary.person", "470-555-0142", "4705550142", "LOYAL-CANARY", PHONE, "tag-canary"];

const airmiles = (overrides: Parameters<typeof airmilesInput>[0] = {}) =>
  airmilesInput({ email: EMAIL, contact: CONTACT, tag: TAG, userMeta: { loyaltyMemberId: LOYALTY }, ...overrides });
const topup = (overrides: Parameters<typeof topupInput>[0] = {}) =>
  topupInput({ email: EMAIL, tag: TAG, userMeta: { topupPhoneCode: "+91", topupPhoneNumber: PHONE }, ...overrides });

describe("personal data never reaches the logs", () => {
  let db: TestDatabase;
  let t: TestApp;
  let sql: pg.Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await startTestApp({ DATABASE_URL: db.url, LOG_LEVEL: "trace" });
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
  }, 60_000);
  afterAll(async () => {
    await sql?.end();
    await t?.close();
    await db?.drop();
  });

  it("refuses lone surrogates and control characters in every string input, naming the field", async () => {
    const cases: [string, Parameters<typeof airmilesInput>[0]][] = [
      ["tag", { tag: `${TAG.slice(0, 5)}\ud83d` }],
      ["tag", { tag: `${TAG}\u0000` }],
      ["email", { email: `pii.canary\udc00@example.com` }],
      ["contact", { contact: `${CONTACT}\u0007` }],
      ["poNumber", { poNumber: "PO-\ud83d" }],
    ];
    for (const [field, overrides] of cases) {
      const res = await sendAirmiles(t.url, airmiles(overrides));
      const payload = res.data?.placeAirmilesOrder;
      expect(payload?.outcome, field).toBe("REJECTED");
      expect(
        payload?.errors.every((e) => e.code === "INVALID_INPUT"),
        field,
      ).toBe(true);
      expect(
        payload?.errors.map((e) => e.field?.join(".")),
        field,
      ).toContain(`input.${field}`);
    }
    const loyalty = await sendAirmiles(t.url, airmiles({ userMeta: { loyaltyMemberId: `${LOYALTY}\ud83d` } }));
    expect(loyalty.data?.placeAirmilesOrder.errors.map((e) => e.field?.join("."))).toContain(
      "input.userMeta.loyaltyMemberId",
    );
    const phone = await sendTopup(
      t.url,
      topup({ userMeta: { topupPhoneCode: "+91", topupPhoneNumber: `${PHONE}\ud83d` } }),
    );
    expect(phone.data?.placeTopupOrder.errors.map((e) => e.field?.join("."))).toContain(
      "input.userMeta.topupPhoneNumber",
    );
    const rows = await sql.query("SELECT count(*)::int AS n FROM orders");
    expect(rows.rows[0]?.n).toBe(0);
  });

  it("logs a driver error (a constraint whose detail quotes the row) and the masked 500 without the row", async () => {
    await sql.query(`ALTER TABLE orders ADD CONSTRAINT canary_check CHECK (request->>'tag' IS DISTINCT FROM '${TAG}')`);
    try {
      const res = await sendAirmiles(t.url, airmiles());
      expect(res.errors?.[0]?.extensions?.["code"]).toBe("INTERNAL_SERVER_ERROR");
      const top = await sendTopup(t.url, topup());
      expect(top.errors?.[0]?.extensions?.["code"]).toBe("INTERNAL_SERVER_ERROR");
      // The error was logged (with its SQLSTATE), just not its values.
      expect(t.logs.text).toContain('"code":"23514"');
      expect(t.logs.text).toContain("canary_check");
    } finally {
      await sql.query("ALTER TABLE orders DROP CONSTRAINT canary_check");
    }
  });

  it("logs a Plum error that echoes the request without its personal data", async () => {
    const echo = {
      code: 422,
      errorId: "PLE10018",
      errorInfo: `Invalid denomination for ${EMAIL} ${PHONE} ${LOYALTY}`,
      error: CONTACT,
    };
    t.sim.inject({ kind: "status", status: 422, body: echo, operation: "placeOrder" });
    const res = await sendAirmiles(t.url, airmiles());
    expect(res.data?.placeAirmilesOrder.outcome).toBe("REJECTED");
    t.sim.inject({ kind: "status", status: 500, body: echo, operation: "placeOrder" });
    expect((await sendTopup(t.url, topup())).data?.placeTopupOrder.outcome).toBe("PENDING");
  });

  it("a masked 500 on a read carries no value either", async () => {
    await sql.query("ALTER TABLE orders RENAME TO orders_gone");
    try {
      const res = await gql(t.url, OrderByPoNumberDocument, { poNumber: "PO-canary-read" });
      expect(res.errors?.[0]?.extensions?.["code"]).toBe("INTERNAL_SERVER_ERROR");
    } finally {
      await sql.query("ALTER TABLE orders_gone RENAME TO orders");
    }
  });

  afterAll(() => {
    const text = t.logs.text;
    expect(text.length).toBeGreaterThan(0);
    for (const canary of CANARIES) expect(text, canary).not.toContain(canary);
    for (const driverField of ['"where"', '"detail"', '"parameters"', '"query"'])
      expect(text).not.toContain(driverField);
  });
});
