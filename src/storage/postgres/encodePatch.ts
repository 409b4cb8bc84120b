// RecordPatch values as PostgreSQL parameters (see ../shared/encodePatch.ts). JSON travels as text, so its
// placeholder is cast to jsonb.
import type { PatchAssignment } from "../recordPatch.js";
import { encodePatchValue, type PatchCodec } from "../shared/encodePatch.js";

const AS_IS: PatchCodec<Date | boolean> = { date: (value) => value, bool: (value) => value };

export function postgresParam(assignment: PatchAssignment): { value: unknown; cast: string } {
  return { value: encodePatchValue(assignment, AS_IS), cast: assignment.kind === "json" ? "::jsonb" : "" };
}
