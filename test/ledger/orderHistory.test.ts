// `orders` and `placement` (issue 10) on both engines, over real HTTP with JWT callers: keyset pages that stay stable
// while orders are added, cursors that only work for the query they came from, filters, the page cap, ownership, and
// a placement's status for every outcome without placing (and, for placed ones, without calling Plum).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ETIHAD_GUEST_PRODUCT_ID } from "../../src/simulator/index.js";
import {
  OrdersPageDocument,
  PlacementStatusDocument,
  ReconciliationReportDocument,
  RunReconciliationDocument,
  type OrderFilter,
  type OrdersPageQuery,
  type PlaceAirmilesOrderInput,
  type PlaceTopupOrderInput,
} from "../__generated__/graphql.js";
import { gql, type GraphQLResponse } from "../support/graphqlClient.js";
import { startTestApp, type TestApp } from "../support/harness.js";
import { bearer, JWT_ENV, tokenFor } from "../support/jwtTokens.js";
import { airmilesInput, newPoNumber, topupInput } from "../support/orderInputs.js";
import { sendAirmiles, sendTopup } from "../support/orderOperations.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres.js";
import { DEFAULT_PO_NUMBER_KEY, plumPoNumber } from "../../src/orders/poNumberNamespace.js";

/** The poNumber Plum holds for a caller's poNumber (the default namespace key; the harness sets none). */
const atPlum = (subject: string, poNumber: string): string => plumPoNumber(DEFAULT_PO_NUMBER_KEY, subject, poNumber);
import { waitFor } from "./helpers.js";

type Page = OrdersPageQuery["orders"];

describe.each([
  { engine: "SQLite", postgres: false },
  { engine: "PostgreSQL", postgres: true },
])("$engine: order history and placement status", ({ postgres }) => {
  let db: TestDatabase | undefined;
  let t: TestApp;
  let alice: Record<string, string>;
  let bob: Record<string, string>;
  let admin: Record<string, string>;
  let reader: Record<string, string>;

  beforeAll(async () => {
    db = postgres ? await createTestDatabase() : undefined;
    // CATALOGUE_MAX_AGE_MS=1: no catalogue pre-flight, so Plum itself records the rejections these tests read back.
    t = await startTestApp({ ...JWT_ENV, CATALOGUE_MAX_AGE_MS: "1", ...(db ? { DATABASE_URL: db.url } : {}) });
    alice = bearer(await tokenFor("alice", "orders:write orders:read"));
    bob = bearer(await tokenFor("bob", "orders:write orders:read"));
    admin = bearer(await tokenFor("ops", "orders:read orders:admin"));
    reader = bearer(await tokenFor("carol", "orders:write"));
  });
  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  async function airmiles(headers: Record<string, string>, overrides: Partial<PlaceAirmilesOrderInput> = {}) {
    const response = await sendAirmiles(t.url, airmilesInput(overrides), headers);
    expect(response.errors).toBeUndefined();
    return response.data?.placeAirmilesOrder;
  }

  async function topup(headers: Record<string, string>, overrides: Partial<PlaceTopupOrderInput> = {}) {
    const response = await sendTopup(t.url, topupInput(overrides), headers);
    expect(response.errors).toBeUndefined();
    return response.data?.placeTopupOrder;
  }

  function list(
    headers: Record<string, string>,
    variables: { first?: number; after?: string | null; filter?: OrderFilter },
  ) {
    return gql(t.url, OrdersPageDocument, variables, headers);
  }

  async function page(
    headers: Record<string, string>,
    variables: { first?: number; after?: string | null; filter?: OrderFilter },
  ): Promise<Page> {
    const response = await list(headers, variables);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    if (response.data == null) throw new Error("no data");
    return response.data.orders;
  }

  /** Every page of a listing, following endCursor. */
  async function all(headers: Record<string, string>, first: number, filter?: OrderFilter): Promise<string[]> {
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 50; i += 1) {
      const current: Page = await page(headers, { first, after, ...(filter ? { filter } : {}) });
      seen.push(...current.edges.map((edge) => edge.node.poNumber ?? ""));
      if (!current.pageInfo.hasNextPage) return seen;
      after = current.pageInfo.endCursor;
    }
    throw new Error("too many pages");
  }

  function inputError(response: GraphQLResponse<unknown>): string | undefined {
    return response.errors?.[0]?.extensions?.["code"] as string | undefined;
  }

  it("lists the caller's placed orders newest first, page by page, with an exact totalCount; never another subject's", async () => {
    const alicePos: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const payload = await airmiles(alice);
      alicePos.push(payload?.order?.poNumber ?? "");
    }
    const bobPo = (await airmiles(bob))?.order?.poNumber;

    const first = await page(alice, { first: 2 });
    expect(first.totalCount).toBe(5);
    expect(first.edges).toHaveLength(2);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const everything = await all(alice, 2);
    expect(everything).toEqual([...alicePos].reverse());
    expect(everything).not.toContain(bobPo);
    expect(await all(bob, 10)).toEqual([bobPo]);
    // orders:admin lists everyone's.
    const adminAll = await all(admin, 100);
    expect(adminAll).toEqual(expect.arrayContaining([...alicePos, bobPo]));
    // The same scopes as `order`: orders:read.
    expect(inputError(await list(reader, { first: 1 }))).toBe("FORBIDDEN");
  });

  it("stays stable while orders are added between pages: nothing repeated, nothing skipped", async () => {
    const subject = bearer(await tokenFor(`dana-${postgres}`, "orders:write orders:read"));
    const older: string[] = [];
    for (let i = 0; i < 4; i += 1) older.push((await airmiles(subject))?.order?.poNumber ?? "");
    const firstPage = await page(subject, { first: 2 });
    expect(firstPage.edges.map((e) => e.node.poNumber)).toEqual([older[3], older[2]]);
    // Two more orders arrive (concurrently) while the client is between pages.
    const newer = await Promise.all([airmiles(subject), airmiles(subject)]);
    const rest = await page(subject, { first: 10, after: firstPage.pageInfo.endCursor });
    expect(rest.edges.map((e) => e.node.poNumber)).toEqual([older[1], older[0]]);
    expect(rest.pageInfo.hasNextPage).toBe(false);
    expect(rest.totalCount).toBe(6);
    // The new ones lead a fresh first page.
    const fresh = await page(subject, { first: 2 });
    expect(new Set(fresh.edges.map((e) => e.node.poNumber))).toEqual(new Set(newer.map((p) => p?.order?.poNumber)));
  });

  it("filters by kind, tag, delivery status and placement time, and pages within the filter", async () => {
    const subject = bearer(await tokenFor(`erin-${postgres}`, "orders:write orders:read"));
    const tag = `campaign-${newPoNumber("tag")}`;
    const tagged = [
      (await airmiles(subject, { tag }))?.order?.poNumber,
      (await airmiles(subject, { tag }))?.order?.poNumber,
    ];
    const pendingTopup = (await topup(subject))?.order?.poNumber; // delayed: deliveryStatus pending
    await airmiles(subject);

    expect(await all(subject, 1, { tag })).toEqual([...tagged].reverse());
    expect(await all(subject, 10, { kind: "TOPUP" as OrderFilter["kind"] })).toEqual([pendingTopup]);
    expect(await all(subject, 10, { deliveryStatus: "Pending" })).toEqual([pendingTopup]);
    expect((await page(subject, { filter: { deliveryStatus: "delivered" } })).totalCount).toBe(3);
    expect((await page(subject, { filter: { tag } })).totalCount).toBe(2);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const past = new Date(Date.now() - 3_600_000).toISOString();
    expect((await page(subject, { filter: { placedFrom: future } })).totalCount).toBe(0);
    expect((await page(subject, { filter: { placedFrom: past, placedTo: future } })).totalCount).toBe(4);
    // A cursor belongs to its filter.
    const unfiltered = await page(subject, { first: 1 });
    expect(inputError(await list(subject, { first: 1, after: unfiltered.pageInfo.endCursor, filter: { tag } }))).toBe(
      "BAD_USER_INPUT",
    );
  });

  it("caps first at 100 and refuses first < 1", async () => {
    expect(inputError(await list(alice, { first: 0 }))).toBe("BAD_USER_INPUT");
    expect(inputError(await list(alice, { first: -5 }))).toBe("BAD_USER_INPUT");
    const capped = await page(admin, { first: 10_000 });
    expect(capped.edges.length).toBeLessThanOrEqual(100);
    expect(capped.edges.length).toBe(Math.min(capped.totalCount, 100));
  });

  it("refuses forged and foreign cursors as input errors", async () => {
    const aliceCursor = (await page(alice, { first: 1 })).pageInfo.endCursor as string;
    const bobCursor = (await page(bob, { first: 1 })).pageInfo.endCursor as string;
    const decoded = JSON.parse(Buffer.from(aliceCursor, "base64url").toString("utf8")) as Record<string, unknown>;
    const forge = (patch: Record<string, unknown>) =>
      Buffer.from(JSON.stringify({ ...decoded, ...patch })).toString("base64url");
    const bad = [
      "not a cursor",
      "AAAA",
      Buffer.from("{}").toString("base64url"),
      forge({ k: "1" }), // a sort key the named row does not have
      forge({ p: newPoNumber("nobody") }), // a row that does not exist
      forge({ v: 2 }),
      "x".repeat(600),
    ];
    for (const after of bad) expect(inputError(await list(alice, { first: 1, after })), after).toBe("BAD_USER_INPUT");
    // Bob's cursor is not Alice's, and Bob cannot page past Alice's orders with hers.
    expect(inputError(await list(alice, { first: 1, after: bobCursor }))).toBe("BAD_USER_INPUT");
    expect(inputError(await list(bob, { first: 1, after: aliceCursor }))).toBe("BAD_USER_INPUT");
    const response = await list(bob, { first: 1, after: forge({}) });
    expect(response.errors?.[0]?.message).not.toContain("alice");
  });

  describe("placement(poNumber)", () => {
    async function placement(headers: Record<string, string>, poNumber: string) {
      const response = await gql(t.url, PlacementStatusDocument, { poNumber }, headers);
      expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
      return response.data?.placement ?? null;
    }

    it("answers REPLAYED with the order for a placed poNumber, without any call to Plum", async () => {
      const placed = await airmiles(alice);
      const po = placed?.order?.poNumber ?? "";
      const [sends, lookups] = [t.sim.count("placeOrder"), t.sim.count("getOrderDetails")];
      const status = await placement(alice, po);
      expect(status).toMatchObject({
        poNumber: po,
        kind: "AIRMILES",
        outcome: "REPLAYED",
        errors: [],
        order: { orderId: placed?.order?.orderId },
      });
      expect([t.sim.count("placeOrder"), t.sim.count("getOrderDetails")]).toEqual([sends, lookups]);
    });

    it("answers the recorded rejection for a rejected poNumber, without sending", async () => {
      const input = airmilesInput({ productId: ETIHAD_GUEST_PRODUCT_ID, denomination: 30 });
      const rejected = await sendAirmiles(t.url, input, alice);
      expect(rejected.data?.placeAirmilesOrder?.errors[0]?.code).toBe("INVALID_DENOMINATION");
      const [sends, lookups] = [t.sim.count("placeOrder"), t.sim.count("getOrderDetails")];
      const status = await placement(alice, input.poNumber);
      expect(status).toMatchObject({
        outcome: "REJECTED",
        errors: [{ code: "INVALID_DENOMINATION", retryable: false }],
        order: null,
      });
      expect([t.sim.count("placeOrder"), t.sim.count("getOrderDetails")]).toEqual([sends, lookups]);
    });

    it("answers a retryable rejection (nothing reached Plum) as the mutation would, without sending it again", async () => {
      const input = airmilesInput();
      t.sim.inject({ kind: "rateLimit", penaltySeconds: 1 });
      const refused = await sendAirmiles(t.url, input, alice);
      expect(refused.data?.placeAirmilesOrder).toMatchObject({
        outcome: "REJECTED",
        errors: [{ code: "RATE_LIMITED", retryable: true }],
      });
      const sends = t.sim.count("placeOrder");
      expect(await placement(alice, input.poNumber)).toMatchObject({
        outcome: "REJECTED",
        errors: [{ code: "RATE_LIMITED", retryable: true }],
      });
      expect(t.sim.count("placeOrder")).toBe(sends);
      expect(t.sim.ordersByPoNumber(atPlum("alice", input.poNumber))).toHaveLength(0);
    });

    it("answers PENDING ORDER_IN_PROGRESS while the placement is in flight, then the order once Plum confirms", async () => {
      const input = airmilesInput();
      t.sim.inject({ kind: "latency", ms: 600, operation: "placeOrder" });
      const inFlight = sendAirmiles(t.url, input, alice);
      await waitFor("the claim", async () =>
        (await t.app.ledger.findByCallerPoNumber("alice", input.poNumber)) === null ? undefined : true,
      );
      const during = await placement(alice, input.poNumber);
      expect(during).toMatchObject({
        outcome: "PENDING",
        errors: [{ code: "ORDER_IN_PROGRESS", retryable: true }],
        order: null,
      });
      await inFlight;
      expect(await placement(alice, input.poNumber)).toMatchObject({ outcome: "REPLAYED" });
      expect(t.sim.ordersByPoNumber(atPlum("alice", input.poNumber))).toHaveLength(1);
    });

    it("answers PENDING OUTCOME_UNKNOWN for an unknown outcome, and adopts the order by look-up (never by sending)", async () => {
      const input = airmilesInput();
      t.sim.inject({ kind: "statusCheckFailed" }); // the order is created, the answer says PLE10035
      const first = await sendAirmiles(t.url, input, alice);
      expect(first.data?.placeAirmilesOrder?.outcome).toBe("PENDING");
      t.sim.inject({ kind: "status", status: 502, operation: "getOrderDetails" }); // the first look-up fails too
      const sends = t.sim.count("placeOrder");
      const pending = await placement(alice, input.poNumber);
      expect(pending).toMatchObject({
        outcome: "PENDING",
        errors: [{ code: "OUTCOME_UNKNOWN", retryable: true }],
        order: null,
      });
      const settled = await waitFor("the look-up to adopt it", async () => {
        const status = await placement(alice, input.poNumber);
        return status?.outcome === "REPLAYED" ? status : undefined;
      });
      expect(settled.order?.orderId).toBe(
        String(t.sim.findOrder({ poNumber: atPlum("alice", input.poNumber) })?.orderId),
      );
      expect(t.sim.count("placeOrder")).toBe(sends);
    });

    it("is null for an unknown poNumber and for someone else's", async () => {
      const bobs = await airmiles(bob);
      expect(await placement(alice, newPoNumber("unknown"))).toBeNull();
      expect(await placement(alice, bobs?.order?.poNumber ?? "")).toBeNull();
      // Admins too see only their own placements: a retry of theirs would claim in their own namespace, so answering
      // another caller's row (by its poNumber at Plum) would not be what that retry answers.
      expect(await placement(admin, bobs?.order?.poNumber ?? "")).toBeNull();
      expect(await placement(admin, atPlum("bob", bobs?.order?.poNumber ?? ""))).toBeNull();
    });
  });

  it("keeps the reconciliation report and runs to orders:admin", async () => {
    expect(inputError(await gql(t.url, ReconciliationReportDocument, {}, alice))).toBe("FORBIDDEN");
    expect(inputError(await gql(t.url, RunReconciliationDocument, {}, alice))).toBe("FORBIDDEN");
    expect(inputError(await gql(t.url, ReconciliationReportDocument, {}))).toBe("UNAUTHENTICATED");
    const report = await gql(t.url, ReconciliationReportDocument, {}, admin);
    expect(report.errors).toBeUndefined();
    expect(report.data?.reconciliationReport.runs).toEqual([]);
  });

  it("a delivery webhook moves deliveryStatus and every item's productStatus together", async () => {
    const subject = bearer(await tokenFor(`frank-${postgres}`, "orders:write orders:read"));
    const delivered = await topup(subject);
    const cancelled = await topup(subject);
    const before = await page(subject, {});
    for (const edge of before.edges) {
      expect(edge.node.deliveryStatus).toBe("pending");
      expect(edge.node.voucherDetails.map((v) => v.productStatus)).toEqual(["pending"]);
    }
    await t.sim.deliver(Number(delivered?.order?.orderId), "delivered");
    await t.sim.deliver(Number(cancelled?.order?.orderId), "canceled");
    const after = await waitFor("both webhooks applied", async () => {
      const current = await page(subject, {});
      return current.edges.every((edge) => edge.node.deliveryStatus !== "pending") ? current : undefined;
    });
    const byPo = new Map(after.edges.map((edge) => [edge.node.poNumber, edge.node]));
    for (const [po, status] of [
      [delivered?.order?.poNumber, "delivered"],
      [cancelled?.order?.poNumber, "cancelled"],
    ] as const) {
      const node = byPo.get(po ?? "");
      expect(node?.deliveryStatus).toBe(status);
      expect(node?.voucherDetails.map((v) => v.productStatus)).toEqual([status]);
    }
    const status = await gql(t.url, PlacementStatusDocument, { poNumber: cancelled?.order?.poNumber ?? "" }, subject);
    expect(status.data?.placement?.order).toMatchObject({
      deliveryStatus: "cancelled",
      voucherDetails: [{ productStatus: "cancelled" }],
    });
  });
});
