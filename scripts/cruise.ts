// Runs dependency-cruiser with the project's rules (.dependency-cruiser.cjs) through its API: the architecture test
// and the layer graph (scripts/layer-graph.ts) use it; `npm run lint:deps` is the same check on the command line.
import { fileURLToPath } from "node:url";
import { cruise, type ICruiseResult } from "dependency-cruiser";
import extractDepcruiseOptions from "dependency-cruiser/config-utl/extract-depcruise-options";
import extractTSConfig from "dependency-cruiser/config-utl/extract-ts-config";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Cruises `paths` (relative to `baseDir`, where the rules' `^src/` paths then start) with the project's rules. */
export async function cruiseWithRules(paths: string[], baseDir = ROOT): Promise<ICruiseResult> {
  const options = await extractDepcruiseOptions(`${ROOT}.dependency-cruiser.cjs`);
  const tsConfig = extractTSConfig(`${ROOT}tsconfig.json`);
  const output = await cruise(paths, { ...options, baseDir }, {}, { tsConfig });
  if (typeof output.output === "string") throw new Error("dependency-cruiser answered text, not a result");
  return output.output;
}

/** Layer (first folder under src/, or the entry file) → the layers it imports, from a cruise of src. */
export function layerGraph(result: ICruiseResult): Map<string, Set<string>> {
  const layerOf = (path: string) => /^src\/([^/]+)(\/|$)/.exec(path)?.[1] ?? null;
  const graph = new Map<string, Set<string>>();
  for (const module of result.modules) {
    const from = layerOf(module.source);
    if (from === null) continue;
    const targets = graph.get(from) ?? new Set<string>();
    graph.set(from, targets);
    for (const dependency of module.dependencies) {
      const to = layerOf(dependency.resolved);
      if (to !== null && to !== from) targets.add(to);
    }
  }
  return graph;
}
