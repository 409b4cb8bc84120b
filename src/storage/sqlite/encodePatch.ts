// RecordPatch values as SQLite parameters (instants as epoch ms, booleans as 0/1; see ../shared/encodePatch.ts).
import type { SQLInputValue } from "node:sqlite";
import type { PatchAssignment } from "../recordPatch.js";
import { encodePatchValue } from "../shared/encodePatch.js";

export function sqliteValue(assignment: PatchAssignment): SQLInputValue {
  return encodePatchValue(assignment, { date: (value) => value.getTime(), bool: (value) => (value ? 1 : 0) });
}
