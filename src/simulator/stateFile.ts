// The simulator's order book on disk (development: beside the ledger file), so a restarted `npm start` still knows
// the orders its ledger holds: a pending one can be delivered, a look-up finds it. Written whole after every change,
// through a temporary file and a rename, so a crash leaves the previous or the new state, never half of one.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { OrderBookState, SimOrder } from "./orderBook.js";

const VERSION = 1;

interface StoredOrder extends Omit<SimOrder, "orderDate" | "deliveryDate"> {
  orderDate: string;
  deliveryDate: string | null;
}

interface StoredState {
  version: number;
  orders: StoredOrder[];
  balanceUsd: number;
  nextOrderId: number;
}

export function saveSimulatorState(path: string, state: OrderBookState): void {
  const stored: StoredState = {
    version: VERSION,
    orders: state.orders.map((order) => ({
      ...order,
      orderDate: order.orderDate.toISOString(),
      deliveryDate: order.deliveryDate?.toISOString() ?? null,
    })),
    balanceUsd: state.balanceUsd,
    nextOrderId: state.nextOrderId,
  };
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(stored)}\n`);
  renameSync(temporary, path);
}

/** The saved state, or null when there is none yet. A file this version cannot read is an error, not a fresh start. */
export function loadSimulatorState(path: string): OrderBookState | null {
  if (!existsSync(path)) return null;
  const stored = JSON.parse(readFileSync(path, "utf8")) as StoredState;
  if (stored.version !== VERSION || !Array.isArray(stored.orders)) {
    throw new Error(`${path} is not a simulator state file this version can read (delete it to start afresh)`);
  }
  return {
    orders: stored.orders.map((order) => ({
      ...order,
      orderDate: new Date(order.orderDate),
      deliveryDate: order.deliveryDate === null ? null : new Date(order.deliveryDate),
    })),
    balanceUsd: stored.balanceUsd,
    nextOrderId: stored.nextOrderId,
  };
}
