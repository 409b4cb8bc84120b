// Typed reads of SQLite row values; a mismatch means the schema and the code disagree, so it throws.
import type { SQLOutputValue } from "node:sqlite";

export type SqliteRow = Record<string, SQLOutputValue>;

function mismatch(column: string, expected: string, value: SQLOutputValue | undefined): Error {
  return new TypeError(`column ${column}: expected ${expected}, got ${value === null ? "null" : typeof value}`);
}

export function text(row: SqliteRow, column: string): string {
  const value = row[column];
  if (typeof value !== "string") throw mismatch(column, "text", value);
  return value;
}

export function textOrNull(row: SqliteRow, column: string): string | null {
  return row[column] === null ? null : text(row, column);
}

export function int(row: SqliteRow, column: string): number {
  const value = row[column];
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  throw mismatch(column, "integer", value);
}

export function intOrNull(row: SqliteRow, column: string): number | null {
  return row[column] === null ? null : int(row, column);
}

export function date(row: SqliteRow, column: string): Date {
  return new Date(int(row, column));
}

export function dateOrNull(row: SqliteRow, column: string): Date | null {
  return row[column] === null ? null : date(row, column);
}

/** JSON written by this ledger; the caller names the type it stored. */
export function jsonOrNull<T>(row: SqliteRow, column: string): T | null {
  const value = textOrNull(row, column);
  return value === null ? null : (JSON.parse(value) as T);
}

export function epochMs(value: Date | null): number | null {
  return value === null ? null : value.getTime();
}
