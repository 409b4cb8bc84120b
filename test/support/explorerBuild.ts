// The explorer tests serve dist/explorer/, which npm test builds first; run alone, they say how to build it.
import { existsSync } from "node:fs";

export function requireExplorerBuild(): void {
  const bundle = new URL("../../dist/explorer/explorer.js", import.meta.url);
  if (!existsSync(bundle))
    throw new Error("dist/explorer/ is not built: run `npm run build:explorer` (npm test does it first)");
}
