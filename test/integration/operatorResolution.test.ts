// The audited operator path (issue 14): an order that needs an operator is resolved by an admin-only mutation whose
// decision is checked at Plum and decided by the placement engine, recorded in the attempt log, never a hand edit.
import { describe, expect, it } from "vitest";
import { ResolveOrderNeedingOperatorDocument, type OperatorVerdict } from "../__generated__/graphql.js";
import { gql } from "../support/graphqlClient.js";
import { useTestApp, type TestApp } from "../support/harness.js";
import { bearer, JWT_ENV, tokenFor } from "../support/jwtTokens.js";
import { airmilesInput } from "../support/orderInputs.js";
import { placeAirmiles } from "../support/orderOperations.js";
import { placeAtPlum, simOrdersFor } from "../support/plumDirect.js";
import { parsePrometheus, valueOf } from "../support/prometheusText.js";
import { pastSettleWindow } from "./helpers.js";
import { request } from "undici";

type Input = { poNumber: string; verdict: OperatorVerdict; orderId?: string | null; note: string };
const resolve = (t: TestApp, input: Input, headers: Record<string, string> = {}) =>
  gql(t.url, ResolveOrderNeedingOperatorDocument, { input }, headers);

/** A PENDING row with `po_number_held_by_different_order`: our send's outcome unknown, someone else's order at Plum. */
async function heldByAnother(t: TestApp) {
  const input = airmilesInput({ denomination: 50 });
  t.sim.inject({ kind: "status", status: 503 });
  expect((await placeAirmiles(t.url, input)).payload.outcome).toBe("PENDING");
  const other = await placeAtPlum(t.sim, { ...input, denomination: 75, userMeta: { loyaltyMemberId: "SOMEONE-ELSE" } });
  await pastSettleWindow();
  expect((await placeAirmiles(t.url, input)).payload.outcome).toBe("PENDING");
  const row = await t.app.ledger.findByPlumPoNumber(input.poNumber);
  expect(row).toMatchObject({ state: "PENDING", alert: "po_number_held_by_different_order" });
  return { input, other };
}

async function decisions(t: TestApp, poNumber: string) {
  const log = await t.app.ledger.listAttempts(poNumber);
  return log
    .filter((e) => e.operation === "operatorDecision")
    .map((e) => JSON.parse(e.body ?? "null") as Record<string, unknown>);
}

describe("resolveOrderNeedingOperator (auth off: the one caller has every scope)", () => {
  const t = useTestApp({ resetSimulator: true });

  it("/metrics counts the raise and the row among orders needing an operator", async () => {
    // Counted from before the raise: an earlier row cannot make this pass.
    const raised = async () => {
      const metrics = parsePrometheus(await (await request(`${new URL(t.url).origin}/metrics`)).body.text());
      return valueOf(metrics, "orders_operator_alerts_total", { reason: "po_number_held_by_different_order" }) ?? 0;
    };
    const held = async () => (await t.app.ledger.operationsCounts()).needingOperator.po_number_held_by_different_order;
    const [raisedBefore, heldBefore] = [await raised(), await held()];
    await heldByAnother(t);
    expect(await raised()).toBe(raisedBefore + 1);
    expect(await held()).toBe(heldBefore + 1);
  });

  it("NOT_PLACED while Plum holds someone else's order under the poNumber after our attempt may have reached it: refused", async () => {
    // Plum answers one order per poNumber: the other client's cannot show that ours is absent (review finding).
    const { input } = await heldByAnother(t);
    const sendsBefore = t.sim.count("placeOrder");
    const response = await resolve(t, {
      poNumber: input.poNumber,
      verdict: "NOT_PLACED",
      note: "only another client's order on the dashboard",
    });
    expect(response.data?.resolveOrderNeedingOperator).toEqual({
      outcome: "REFUSED",
      refusal: "not_ours",
      order: null,
    });
    expect(await t.app.ledger.findByPlumPoNumber(input.poNumber)).toMatchObject({
      state: "PENDING",
      alert: "po_number_held_by_different_order",
    });
    expect(t.sim.count("placeOrder")).toBe(sendsBefore);
  });

  it("PLACED as someone else's orderId: refused (not ours), the row still waits for an operator; the refusal is on record", async () => {
    const { input, other } = await heldByAnother(t);
    const response = await resolve(t, {
      poNumber: input.poNumber,
      verdict: "PLACED",
      orderId: String(other.orderId),
      note: "looks like it",
    });
    expect(response.data?.resolveOrderNeedingOperator).toEqual({
      outcome: "REFUSED",
      refusal: "not_ours",
      order: null,
    });
    expect(await t.app.ledger.findByPlumPoNumber(input.poNumber)).toMatchObject({
      state: "PENDING",
      alert: "po_number_held_by_different_order",
    });
    expect((await decisions(t, input.poNumber)).map((d) => d["refusal"])).toEqual(["not_ours"]);
  });

  it("PLACED as our own order (it exists at Plum): adopted and returned", async () => {
    const input = airmilesInput({ denomination: 50 });
    t.sim.inject({ kind: "createdThen502" });
    expect((await placeAirmiles(t.url, input)).payload.outcome).toBe("PENDING");
    const ours = simOrdersFor(t.sim, input.poNumber)[0];
    expect(ours).toBeDefined();
    // Parked for an operator (as the engine does when it will not decide alone); the decision is still checked.
    const row = await t.app.ledger.findByPlumPoNumber(input.poNumber);
    await t.app.ledger.update(input.poNumber, null, { alert: "order_needs_operator" }, false, {
      version: row?.version ?? 0,
    });
    const response = await resolve(t, {
      poNumber: input.poNumber,
      verdict: "PLACED",
      orderId: String(ours?.orderId),
      note: "found in Plum",
    });
    expect(response.data?.resolveOrderNeedingOperator).toMatchObject({
      outcome: "PLACED",
      refusal: null,
      order: { orderId: String(ours?.orderId) },
    });
    expect(await t.app.ledger.findByPlumPoNumber(input.poNumber)).toMatchObject({ state: "PLACED", alert: null });
    expect((await placeAirmiles(t.url, input)).payload.outcome).toBe("REPLAYED");
  });

  it("NOT_PLACED while a proof of existence is on record: refused, never rejected; adopted once Plum shows it", async () => {
    const input = airmilesInput({ denomination: 50 });
    t.sim.inject({ kind: "createdThen502" });
    expect((await placeAirmiles(t.url, input)).payload.outcome).toBe("PENDING");
    const ours = simOrdersFor(t.sim, input.poNumber)[0];
    const row = await t.app.ledger.findByPlumPoNumber(input.poNumber);
    await t.app.ledger.update(
      input.poNumber,
      null,
      { alert: "order_needs_operator", existence: { source: "webhook", orderId: String(ours?.orderId) } },
      false,
      { version: row?.version ?? 0 },
    );
    await pastSettleWindow();
    // Plum's look-up fails: the proof on record alone refuses the claim.
    t.sim.inject({ kind: "status", status: 503, operation: "getOrderDetails" });
    const response = await resolve(t, { poNumber: input.poNumber, verdict: "NOT_PLACED", note: "wrong" });
    expect(response.data?.resolveOrderNeedingOperator).toEqual({
      outcome: "REFUSED",
      refusal: "existence_proven",
      order: null,
    });
    expect((await t.app.ledger.findByPlumPoNumber(input.poNumber))?.state).toBe("PENDING");
    // Plum answers: the order is ours, so the wrong "not placed" ends with the order adopted.
    const again = await resolve(t, { poNumber: input.poNumber, verdict: "NOT_PLACED", note: "wrong again" });
    expect(again.data?.resolveOrderNeedingOperator).toMatchObject({
      outcome: "PLACED",
      order: { orderId: String(ours?.orderId) },
    });
    expect((await decisions(t, input.poNumber)).map((d) => d["outcome"])).toEqual(["refused", "placed"]);
  });

  it("refuses a row the engine is still deciding, an unknown poNumber, and bad input", async () => {
    const input = airmilesInput();
    t.sim.inject({ kind: "status", status: 503 });
    expect((await placeAirmiles(t.url, input)).payload.outcome).toBe("PENDING");
    const pending = await resolve(t, { poNumber: input.poNumber, verdict: "NOT_PLACED", note: "impatient" });
    expect(pending.data?.resolveOrderNeedingOperator.refusal).toBe("not_awaiting_operator");
    expect((await t.app.ledger.findByPlumPoNumber(input.poNumber))?.state).toBe("PENDING");
    const unknown = await resolve(t, { poNumber: "PO-NEVER-SEEN", verdict: "NOT_PLACED", note: "x" });
    expect(unknown.data?.resolveOrderNeedingOperator.refusal).toBe("unknown_order");
    const noId = await resolve(t, { poNumber: input.poNumber, verdict: "PLACED", note: "x" });
    expect(noId.errors?.[0]?.extensions?.["code"]).toBe("BAD_USER_INPUT");
    const noNote = await resolve(t, { poNumber: input.poNumber, verdict: "NOT_PLACED", note: "  " });
    expect(noNote.errors?.[0]?.extensions?.["code"]).toBe("BAD_USER_INPUT");
  });
});

describe("resolveOrderNeedingOperator with JWT verification", () => {
  const t = useTestApp({ env: JWT_ENV, resetSimulator: true });

  it("is for orders:admin only, and records the admin's subject", async () => {
    const input: Input = { poNumber: "PO-NOBODY", verdict: "NOT_PLACED", note: "x" };
    const writer = await resolve(t, input, bearer(await tokenFor("user-1", "orders:read orders:write")));
    expect(writer.errors?.[0]?.extensions?.["code"]).toBe("FORBIDDEN");
    const admin = await resolve(t, input, bearer(await tokenFor("ops-1", "orders:read orders:admin")));
    expect(admin.data?.resolveOrderNeedingOperator.refusal).toBe("unknown_order");
  });
});

describe("resolveOrderNeedingOperator NOT_PLACED (MAX_SEND_ATTEMPTS=1: one unknown attempt, then a person decides)", () => {
  const t = useTestApp({ resetSimulator: true, env: { MAX_SEND_ATTEMPTS: "1" } });

  /** Our one allowed attempt's outcome unknown (a 503: nothing was created): parked for an operator at once. */
  async function needsOperator() {
    const input = airmilesInput({ denomination: 50 });
    t.sim.inject({ kind: "status", status: 503 });
    expect((await placeAirmiles(t.url, input)).payload.outcome).toBe("PENDING");
    expect(await t.app.ledger.findByPlumPoNumber(input.poNumber)).toMatchObject({
      state: "PENDING",
      alert: "order_needs_operator",
    });
    // The decision's look-up must start after Plum's processing window (and the settle window) has passed.
    await pastSettleWindow();
    return input;
  }

  it("after Plum's window: a final rejection, recorded with who and why; the row leaves the count; retries replay it and never send", async () => {
    const input = await needsOperator();
    const before = (await t.app.ledger.operationsCounts()).needingOperator.order_needs_operator;
    const sendsBefore = t.sim.count("placeOrder");
    const response = await resolve(t, {
      poNumber: input.poNumber,
      verdict: "NOT_PLACED",
      note: "ticket OPS-1: nothing at Plum",
    });
    expect(response.errors).toBeUndefined();
    expect(response.data?.resolveOrderNeedingOperator).toEqual({ outcome: "REJECTED", refusal: null, order: null });
    expect(await t.app.ledger.findByPlumPoNumber(input.poNumber)).toMatchObject({
      state: "REJECTED",
      reopenable: false,
      alert: null,
    });
    expect((await t.app.ledger.operationsCounts()).needingOperator.order_needs_operator).toBe(before - 1);
    expect(await decisions(t, input.poNumber)).toEqual([
      {
        operator: null,
        verdict: "notPlaced",
        orderId: null,
        note: "ticket OPS-1: nothing at Plum",
        outcome: "rejected",
        refusal: null,
      },
    ]);
    const retry = await placeAirmiles(t.url, input);
    expect(retry.payload.outcome).toBe("REJECTED");
    expect(retry.payload.errors[0]?.retryable).toBe(false);
    expect(t.sim.count("placeOrder")).toBe(sendsBefore);
  });
});
