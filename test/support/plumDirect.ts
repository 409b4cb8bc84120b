// Plum's side of an order, bypassing the service: placing at the simulator directly (as another client of the
// account, or a lost earlier attempt, would) and what the simulator holds for a poNumber.
import { request } from "undici";
import { expect } from "vitest";
import { PLUM_TAG, PlumOperation, type PlaceOrderData } from "../../src/plum/wire.js";
import type { PlumSimulator, SimOrder } from "../../src/simulator/index.js";
import type { PlaceAirmilesOrderInput } from "../__generated__/graphql.js";

/** Places the order an airmiles input describes at the simulator directly; the service (and its ledger) never sees it. */
export async function placeAtPlum(sim: PlumSimulator, input: PlaceAirmilesOrderInput): Promise<SimOrder> {
  const data: PlaceOrderData = {
    productId: input.productId,
    quantity: input.quantity ?? 1,
    denomination: input.denomination,
    email: input.email,
    ...(input.tag ? { tag: input.tag } : {}),
    poNumber: input.poNumber,
    notifyReceiverEmail: 0,
    notifyAdminEmail: 0,
    userMeta: input.userMeta,
  };
  const response = await request(sim.apiUrl, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${sim.tokens.accessToken}` },
    body: JSON.stringify({ query: PlumOperation.placeOrder, tag: PLUM_TAG, variables: { data } }),
  });
  const text = await response.body.text();
  expect(response.statusCode, text).toBe(200);
  const order = sim.findOrder({ poNumber: input.poNumber });
  if (order === undefined) throw new Error("the simulator did not create the order");
  return order;
}

/** The simulator's orders under one poNumber (the simulator may also hold other tests' orders). */
export function simOrdersFor(sim: PlumSimulator, poNumber: string): SimOrder[] {
  return sim.orders().filter((order) => order.poNumber === poNumber);
}

/** How many placeOrder requests for this poNumber reached the simulator. */
export function placeCallsFor(sim: PlumSimulator, poNumber: string): number {
  return sim.calls("placeOrder").filter((call) => {
    const body = call.body as { variables?: { data?: { poNumber?: unknown } } } | null;
    return body?.variables?.data?.poNumber === poNumber;
  }).length;
}
