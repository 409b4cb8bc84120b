// Prints which layer of src/ imports which (npm run deps:graph), in the form the README's "Layout" section shows.
import { cruiseWithRules, layerGraph } from "./cruise.js";

const graph = layerGraph(await cruiseWithRules(["src"]));
for (const [layer, targets] of [...graph].sort(([a], [b]) => a.localeCompare(b))) {
  console.log(`${layer.padEnd(12)} → ${[...targets].sort().join(", ") || "(nothing)"}`);
}
