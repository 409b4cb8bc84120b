// A RecordPatch value checked against its column's kind, in the shape both engines send: JSON as text (node-postgres
// would turn a JS array into a PostgreSQL array literal), numbers and text as they are. Instants and booleans are
// the engine's to convert.
import type { PatchAssignment } from "../recordPatch.js";

export interface PatchCodec<T> {
  date(value: Date): T;
  bool(value: boolean): T;
}

export function encodePatchValue<T>(
  { column, kind, value }: PatchAssignment,
  codec: PatchCodec<T>,
): T | string | number | null {
  if (value === null || value === undefined) return null;
  if (kind === "json") return JSON.stringify(value);
  if (kind === "date" && value instanceof Date) return codec.date(value);
  if (kind === "int" && typeof value === "number") return value;
  if (kind === "text" && typeof value === "string") return value;
  if (kind === "bool" && typeof value === "boolean") return codec.bool(value);
  throw new TypeError(`patch value for ${column} is not ${kind}`);
}
