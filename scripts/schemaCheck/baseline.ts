// Where the baseline SDL comes from: the main branch's schema/orders.graphql through git (origin/main, then main), or
// the released baseline file schema/orders.released.graphql when there is no such branch (a shallow CI clone, an
// export without history). SCHEMA_BASE_REF / --base name another git ref.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";

export const SDL_PATH = "schema/orders.graphql";
export const RELEASED_BASELINE_PATH = "schema/orders.released.graphql";

export interface Baseline {
  sdl: string;
  /** Where it came from, for the report. */
  source: string;
}

function git(args: string[], cwd: string): string | null {
  try {
    return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  } catch {
    return null;
  }
}

export function resolveBaseline(root: string, explicitRef: string | undefined): Baseline {
  const refs = explicitRef !== undefined ? [explicitRef] : ["origin/main", "main"];
  for (const ref of refs) {
    if (git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], root) === null) continue;
    const sdl = git(["show", `${ref}:${SDL_PATH}`], root);
    if (sdl !== null) return { sdl, source: `${ref}:${SDL_PATH}` };
  }
  if (explicitRef !== undefined) throw new Error(`git ref ${explicitRef} (or its ${SDL_PATH}) not found`);
  const released = `${root}/${RELEASED_BASELINE_PATH}`;
  if (existsSync(released))
    return { sdl: readFileSync(released, "utf8"), source: `${RELEASED_BASELINE_PATH} (no main branch in this clone)` };
  throw new Error(
    `no baseline: neither origin/main nor main exists in this clone, and ${RELEASED_BASELINE_PATH} is missing`,
  );
}
