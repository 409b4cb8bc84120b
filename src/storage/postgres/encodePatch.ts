// RecordPatch values as PostgreSQL parameters. JSON is sent as text and cast, because node-postgres would turn a
// JS array (errors) into a PostgreSQL array literal.
import type { PatchAssignment } from "../recordPatch.js";

export function postgresParam({ column, kind, value }: PatchAssignment): { value: unknown; cast: string } {
  const cast = kind === "json" ? "::jsonb" : "";
  if (value === null || value === undefined) return { value: null, cast };
  if (kind === "json") return { value: JSON.stringify(value), cast };
  if (kind === "date" && value instanceof Date) return { value, cast };
  if (kind === "int" && typeof value === "number") return { value, cast };
  if (kind === "text" && typeof value === "string") return { value, cast };
  if (kind === "bool" && typeof value === "boolean") return { value, cast };
  throw new TypeError(`patch value for ${column} is not ${kind}`);
}
