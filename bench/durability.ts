// The durability a run measured, as the code and configuration set it: the service's SQLite connection is held
// in exclusive locking mode, so its pragmas cannot be read from outside while it runs; they are read from the
// source that sets them, and the ledger/commit settings from the environment schema (defaults unless the
// benchmark sets them).
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { REPO_ROOT } from "./processes.js";

/** Settings of env.ts whose names concern the ledger's commits (group commit, checkpoints, SQLite). */
const LEDGER_SETTING = /^(SQLITE_|LEDGER_|GROUP_COMMIT|CHECKPOINT|WAL_|DATABASE_POOL)/;

/** `NAME: z…default(x)` lines of the environment schema: name → default (or "unset"). */
export function ledgerSettingsOf(envSource: string): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const match of envSource.matchAll(/^\s*([A-Z][A-Z0-9_]*):\s*(.+?),?\s*$/gm)) {
    const [, name, rule] = match;
    if (name === undefined || rule === undefined || !LEDGER_SETTING.test(name)) continue;
    settings[name] = /\.default\(([^)]*)\)/.exec(rule)?.[1] ?? "unset";
  }
  return settings;
}

/** `PRAGMA name = value` statements found in src/storage/sqlite. */
export function pragmasOf(source: string): Record<string, string> {
  const pragmas: Record<string, string> = {};
  for (const match of source.matchAll(/PRAGMA\s+(\w+)\s*=\s*(\w+)/g)) {
    const [, name, value] = match;
    if (name !== undefined && value !== undefined && name !== "busy_timeout" && name !== "locking_mode")
      pragmas[name] = value;
  }
  return pragmas;
}

export async function sqliteDurability(env: Record<string, string>): Promise<string> {
  const dir = join(REPO_ROOT, "src", "storage", "sqlite");
  const files = (await readdir(dir)).filter((f) => f.endsWith(".ts"));
  const source = (await Promise.all(files.map((f) => readFile(join(dir, f), "utf8")))).join("\n");
  const pragmas = pragmasOf(source);
  const settings = ledgerSettingsOf(await readFile(join(REPO_ROOT, "src", "config", "env.ts"), "utf8"));
  for (const [name, value] of Object.entries(env))
    if (name in settings) settings[name] = `${value} (set by the benchmark)`;
  const pragmaText =
    Object.entries(pragmas)
      .map(([k, v]) => `${k}=${v}`)
      .join(", ") || "none found";
  const settingText = Object.entries(settings)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
  return `SQLite ${pragmaText} (src/storage/sqlite)${settingText === "" ? "" : `; ${settingText}`}`;
}
