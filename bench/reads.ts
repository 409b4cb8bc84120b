// Read load: `order(orderId)` and `_entities` with 20 keys, over orders placed just before through the same
// system (the service answers from its ledger; the reference forwards each order to Plum's getOrderDetails).
import { request } from "undici";
import { placeMutationBody, poNumbers } from "./requests.js";

export const READ_FIELDS = "orderId poNumber deliveryStatus amountCharged currencyCode";
export const ENTITY_KEYS = 20;

export const ORDER_QUERY = `query Read($orderId: ID!) { order(orderId: $orderId) { ${READ_FIELDS} } }`;
export const ENTITIES20_QUERY = `query Entities($representations: [_Any!]!) { _entities(representations: $representations) { ... on Order { ${READ_FIELDS} } } }`;

/** Places `count` orders one after another and returns their orderIds. */
export async function seedOrders(url: string, headers: Record<string, string>, count: number): Promise<string[]> {
  const next = poNumbers(`r${Date.now().toString(36)}`);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const response = await request(url, { method: "POST", headers, body: placeMutationBody(next()) });
    const text = await response.body.text();
    const id = /"orderId":"([^"]+)"/.exec(text)?.[1];
    if (id === undefined) throw new Error(`seeding a read: no orderId in ${text.slice(0, 200)}`);
    ids.push(id);
  }
  return ids;
}

export interface ReadSpec {
  name: string;
  body: () => string;
  verify: (text: string) => boolean;
}

/** Bodies built ahead (the load generator shares the CPUs), taken round-robin. */
function cycle(bodies: string[]): () => string {
  let i = 0;
  return () => bodies[i++ % bodies.length] ?? "";
}

const count = (text: string) => text.match(/"orderId":"/g)?.length ?? 0;

export function readSpecs(orderIds: string[]): ReadSpec[] {
  const single = orderIds.map((orderId) => JSON.stringify({ query: ORDER_QUERY, variables: { orderId } }));
  const batches = orderIds.map((_, i) => {
    const keys = Array.from({ length: ENTITY_KEYS }, (_k, j) => ({
      __typename: "Order",
      orderId: orderIds[(i + j) % orderIds.length],
    }));
    return JSON.stringify({ query: ENTITIES20_QUERY, variables: { representations: keys } });
  });
  return [
    { name: "order(orderId)", body: cycle(single), verify: (text) => count(text) === 1 && !text.includes('"errors"') },
    {
      name: `_entities, ${ENTITY_KEYS} keys`,
      body: cycle(batches),
      verify: (text) => count(text) === ENTITY_KEYS && !text.includes('"errors"'),
    },
  ];
}
