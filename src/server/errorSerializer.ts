// The `err` serializer for every log line: the error's type, message, code and stack, never the fields a database
// driver fills with the statement's values (PostgreSQL's `where`, `detail`, `hint`; node-postgres' `query` and
// `parameters`), nor request data an error may carry. Driver messages lose their quoted parts too ("invalid input
// syntax for type integer: "…"" quotes the value). Applied to causes and aggregated errors as well.
import pino from "pino";

const DROPPED = new Set([
  "where",
  "detail",
  "hint",
  "internalQuery",
  "internalPosition",
  "position",
  "query",
  "text",
  "values",
  "parameters",
  "params",
  "sql",
  "statement",
  "request",
  "body",
  "variables",
  "input",
  "data",
  "response",
  "headers",
  "config",
]);
/** SQLSTATE codes (PostgreSQL) and SQLite's error codes mark driver errors, whose messages may quote values. */
const DRIVER_CODE = /^(?:[0-9A-Z]{5}|SQLITE_\w+|ERR_SQLITE_ERROR)$/;
const QUOTED = /"[^"]*"|'[^']*'/g;

type Serialized = Record<string, unknown>;

function isDriverError(error: Serialized): boolean {
  return (
    (typeof error["code"] === "string" && DRIVER_CODE.test(error["code"])) || "severity" in error || "errcode" in error
  );
}

function clean(error: Serialized, depth: number): Serialized {
  const out: Serialized = {};
  const driver = isDriverError(error);
  for (const [key, value] of Object.entries(error)) {
    if (DROPPED.has(key)) continue;
    if ((key === "message" || key === "stack") && driver && typeof value === "string")
      out[key] = value.replace(QUOTED, '"…"');
    else if (key === "cause" || key === "errors") out[key] = depth < 5 ? nested(value, depth + 1) : "[omitted]";
    else out[key] = value;
  }
  return out;
}

function nested(value: unknown, depth: number): unknown {
  if (Array.isArray(value)) return value.map((item) => nested(item, depth));
  if (value instanceof Error) return clean(pino.stdSerializers.err(value) as unknown as Serialized, depth);
  if (value !== null && typeof value === "object") return clean(value as Serialized, depth);
  return value;
}

export function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return nested(error, 0);
  return clean(pino.stdSerializers.err(error) as unknown as Serialized, 0);
}
