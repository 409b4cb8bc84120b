// Opaque list cursors. A cursor names the last row of a page (its exact sort key and poNumber) and a digest of the
// query it belongs to (whose orders, which filter). Decoding is strict; the ledger then checks that the row it names
// is a placed order in the caller's scope (OrderListStore.listPlaced), so a forged or foreign cursor is refused.
import { createHash } from "node:crypto";
import type { ListAnchor, ListScope, OrderListFilter } from "./ports.js";

export class InvalidCursorError extends Error {
  constructor() {
    super(
      "`after` is not a cursor of this query: pass an `endCursor` or edge `cursor` returned by `orders` with the same filter.",
    );
    this.name = "InvalidCursorError";
  }
}

const VERSION = 1;
const MAX_CURSOR_LENGTH = 512;

/** Stable across replicas and restarts: the same caller and filter give the same digest. */
export function queryDigest(scope: ListScope, filter: OrderListFilter): string {
  const canonical = JSON.stringify([
    "subject" in scope ? `s:${scope.subject}` : "*",
    filter.kind,
    filter.deliveryStatus,
    filter.tag,
    filter.placedFrom?.toISOString() ?? null,
    filter.placedTo?.toISOString() ?? null,
  ]);
  return createHash("sha256").update(canonical).digest("base64url").slice(0, 22);
}

export function encodeCursor(anchor: ListAnchor, digest: string): string {
  return Buffer.from(JSON.stringify({ v: VERSION, k: anchor.sortKey, p: anchor.poNumber, q: digest })).toString(
    "base64url",
  );
}

/** The anchor a cursor names; throws InvalidCursorError when it is malformed or belongs to another query. */
export function decodeCursor(cursor: string, digest: string): ListAnchor {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor))
    throw new InvalidCursorError();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw new InvalidCursorError();
  }
  if (typeof value !== "object" || value === null) throw new InvalidCursorError();
  const { v, k, p, q } = value as Record<string, unknown>;
  if (
    v !== VERSION ||
    typeof k !== "string" ||
    !/^\d{1,19}$/.test(k) ||
    typeof p !== "string" ||
    p === "" ||
    q !== digest
  ) {
    throw new InvalidCursorError();
  }
  return { sortKey: k, poNumber: p };
}
