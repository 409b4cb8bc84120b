// RecordPatch values as SQLite parameters (instants as epoch ms, JSON as text).
import type { SQLInputValue } from "node:sqlite";
import type { PatchAssignment } from "../recordPatch.js";

export function sqliteValue({ column, kind, value }: PatchAssignment): SQLInputValue {
  if (value === null || value === undefined) return null;
  if (kind === "json") return JSON.stringify(value);
  if (kind === "date" && value instanceof Date) return value.getTime();
  if (kind === "int" && typeof value === "number") return value;
  if (kind === "text" && typeof value === "string") return value;
  if (kind === "bool" && typeof value === "boolean") return value ? 1 : 0;
  throw new TypeError(`patch value for ${column} is not ${kind}`);
}
