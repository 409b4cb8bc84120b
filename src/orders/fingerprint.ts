// The fingerprint of an order: what makes two requests with one poNumber "the same order". Every field sent to
// Plum except the poNumber itself, plus the kind, hashed over canonical (key-sorted) JSON.
import { createHash } from "node:crypto";
import type { PlaceOrderData } from "../plum/wire.js";
import type { OrderKind } from "./orderKind.js";

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function fingerprint(kind: OrderKind, data: PlaceOrderData): string {
  const { poNumber: _poNumber, ...orderDefining } = data;
  return createHash("sha256")
    .update(canonical({ kind, order: orderDefining }))
    .digest("hex");
}
