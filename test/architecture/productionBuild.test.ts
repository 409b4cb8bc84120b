// The production build (tsconfig.build.json → dist/, the image) holds no simulator: the development entry and the
// simulator are excluded, and no file the build compiles imports them (tsc lists every file it would pull in).
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

describe("production build", () => {
  it("compiles no simulator and no development entry", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [
      tsc,
      "-p",
      "tsconfig.build.json",
      "--listFilesOnly",
    ]);
    const ours = stdout
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line.includes("/src/") && !line.includes("/node_modules/"));
    expect(ours.some((file) => file.endsWith("/src/index.ts"))).toBe(true);
    expect(ours.some((file) => file.endsWith("/src/server/app.ts"))).toBe(true);
    expect(ours.filter((file) => /\/src\/(simulator|dev)\//.test(file))).toEqual([]);
  }, 60_000);
});
