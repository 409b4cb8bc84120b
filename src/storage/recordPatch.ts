// The RecordPatch fields as columns, shared by both engines so a new patch field is added in one place.
import type { RecordPatch } from "./ledger.js";

export type ColumnKind = "text" | "int" | "date" | "json" | "bool";

const PATCH_COLUMNS: readonly { key: keyof RecordPatch; column: string; kind: ColumnKind }[] = [
  { key: "state", column: "state", kind: "text" },
  { key: "orderId", column: "order_id", kind: "text" },
  { key: "order", column: "order_data", kind: "json" },
  { key: "errors", column: "errors", kind: "json" },
  { key: "deliveryStatus", column: "delivery_status", kind: "text" },
  { key: "sendAttempts", column: "send_attempts", kind: "int" },
  { key: "lastSentAt", column: "last_sent_at", kind: "date" },
  { key: "nextCheckAt", column: "next_check_at", kind: "date" },
  { key: "placedAt", column: "placed_at", kind: "date" },
  { key: "sends", column: "sends", kind: "json" },
  { key: "existence", column: "existence", kind: "json" },
  { key: "lastLookupAt", column: "last_lookup_at", kind: "date" },
  { key: "alert", column: "alert", kind: "text" },
  { key: "reopenable", column: "reopenable", kind: "bool" },
];

/** `startAttempt` is not a column: it sets last_sent_at to the database's now (see the engines). */
export interface PatchAssignment {
  column: string;
  kind: ColumnKind;
  value: RecordPatch[keyof RecordPatch];
}

/** The columns a patch sets (fields left undefined are omitted; null clears). */
export function patchAssignments(patch: RecordPatch): PatchAssignment[] {
  const assignments: PatchAssignment[] = [];
  for (const { key, column, kind } of PATCH_COLUMNS) {
    const value = patch[key];
    if (value !== undefined) assignments.push({ column, kind, value });
  }
  return assignments;
}

/**
 * The placement queue follows the newest attempt: a queued one enters the queue (keeping an earlier place), any
 * other leaves it, and so does a final state. undefined: the patch does not touch it.
 */
export function queueAssignment(patch: RecordPatch): "enter" | "leave" | undefined {
  if (patch.state === "PLACED" || patch.state === "REJECTED") return "leave";
  if (patch.sends === undefined) return undefined;
  return patch.sends.at(-1)?.answer === "queued" ? "enter" : "leave";
}
