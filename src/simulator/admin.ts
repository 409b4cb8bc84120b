// HTTP control endpoints under /__simulator, for the embedded simulator and multi-process tests. No auth.
import { parseBehaviourPatch } from "./behaviour.js";
import { parseCataloguePatch } from "./catalogueState.js";
import { DeliverError, type SimulatorCore } from "./core.js";
import { parseFaultSpec } from "./faults.js";
import { parseJson } from "./http.js";
import { isRecord, looseNumber } from "./loose.js";
import { jsonReply, type SimReply } from "./responses.js";

export const ADMIN_PREFIX = "/__simulator";

const DELIVER_PATH = /^\/orders\/(\d+)\/deliver$/;

function badRequest(error: string): SimReply {
  return jsonReply(400, { error });
}

function jsonBody(raw: string): { ok: true; value: unknown } | { ok: false } {
  if (raw.trim() === "") return { ok: true, value: {} };
  const parsed = parseJson(raw);
  return parsed.ok ? parsed : { ok: false };
}

/** Order ids per non-empty poNumber, oldest first: more than one only when de-duplication is off. */
function orderIdsByPoNumber(core: SimulatorCore): Record<string, number[]> {
  // A Map, not an object literal: a poNumber is client text and may well be "__proto__".
  const index = new Map<string, number[]>();
  for (const order of core.book.all()) {
    if (order.poNumber === "") continue;
    const ids = index.get(order.poNumber);
    if (ids === undefined) index.set(order.poNumber, [order.orderId]);
    else ids.push(order.orderId);
  }
  return Object.fromEntries(index);
}

export function simulatorState(core: SimulatorCore): Record<string, unknown> {
  return {
    orders: core.book.all(),
    ordersByPoNumber: orderIdsByPoNumber(core),
    behaviour: core.behaviour.get(),
    catalogue: core.catalogue.get(),
    counts: core.calls.counts(),
    balance: core.book.balanceUsd,
    tokens: core.tokens.pair,
    faults: core.faults.pending(),
    webhookDisabled: core.webhooks.disabled,
    webhookDeliveries: core.webhooks.deliveries(),
  };
}

async function deliver(core: SimulatorCore, orderId: number, raw: string): Promise<SimReply> {
  const body = jsonBody(raw);
  if (!body.ok) return badRequest("body must be JSON");
  const status = isRecord(body.value) ? (body.value["status"] ?? "delivered") : "delivered";
  if (status !== "delivered" && status !== "canceled") return badRequest('status must be "delivered" or "canceled"');
  try {
    return jsonReply(200, { order: await core.deliver(orderId, status) });
  } catch (error) {
    if (error instanceof DeliverError)
      return jsonReply(error.reason === "not_found" ? 404 : 409, { error: error.message });
    throw error;
  }
}

/** POST /__simulator/orders: Plum holds an order the service never placed ({poNumber, …placeOrder fields, orderDate}). */
function hold(core: SimulatorCore, raw: string): SimReply {
  const body = jsonBody(raw);
  if (!body.ok || !isRecord(body.value)) return badRequest("body must be a JSON object");
  const { orderDate, ...data } = body.value;
  const date = typeof orderDate === "string" ? new Date(orderDate) : new Date();
  if (Number.isNaN(date.getTime())) return badRequest('"orderDate" must be an ISO date');
  try {
    return jsonReply(201, { order: core.holdOrder(data, date) });
  } catch (error) {
    return badRequest(error instanceof Error ? error.message : "refused");
  }
}

export async function handleAdmin(core: SimulatorCore, method: string, path: string, raw: string): Promise<SimReply> {
  const route = path.slice(ADMIN_PREFIX.length);
  if (method === "GET" && route === "/state") return jsonReply(200, simulatorState(core));
  if (method === "POST" && route === "/faults") {
    const body = jsonBody(raw);
    const parsed = body.ok ? parseFaultSpec(body.value) : { ok: false as const, error: "body must be JSON" };
    if (!parsed.ok) return badRequest(parsed.error);
    core.faults.push(parsed.spec);
    return jsonReply(201, { faults: core.faults.pending() });
  }
  if (method === "POST" && route === "/behaviour") {
    const body = jsonBody(raw);
    const parsed = body.ok ? parseBehaviourPatch(body.value) : { ok: false as const, error: "body must be JSON" };
    if (!parsed.ok) return badRequest(parsed.error);
    return jsonReply(200, { behaviour: core.behaviour.update(parsed.patch) });
  }
  if (method === "POST" && route === "/catalogue") {
    const body = jsonBody(raw);
    const parsed = body.ok ? parseCataloguePatch(body.value) : { ok: false as const, error: "body must be JSON" };
    if (!parsed.ok) return badRequest(parsed.error);
    return jsonReply(200, { catalogue: core.catalogue.update(parsed.patch) });
  }
  if (method === "DELETE" && route === "/faults") {
    core.faults.clear();
    return jsonReply(200, { faults: [] });
  }
  if (method === "POST" && route === "/reset") {
    core.reset();
    return jsonReply(200, { reset: true });
  }
  if (method === "POST" && route === "/expire-token") {
    core.tokens.expireAccessToken();
    return jsonReply(200, { expired: true });
  }
  if (method === "POST" && route === "/balance") {
    const body = jsonBody(raw);
    const usd = body.ok && isRecord(body.value) ? looseNumber(body.value["usd"]) : undefined;
    if (usd === undefined) return badRequest('body must be {"usd": <number>}');
    core.book.setBalance(usd);
    return jsonReply(200, { balance: usd });
  }
  if (method === "POST" && route === "/orders") return hold(core, raw);
  const deliverMatch = DELIVER_PATH.exec(route);
  if (method === "POST" && deliverMatch?.[1] !== undefined) return deliver(core, Number(deliverMatch[1]), raw);
  return jsonReply(404, { error: `no simulator endpoint ${method} ${path}` });
}
