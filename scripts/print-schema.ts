// Writes the subgraph SDL to schema/orders.graphql (npm run schema:write); the schema test fails when it drifts.
import "reflect-metadata";
import { writeFileSync } from "node:fs";
import { printOrdersSubgraphSdl } from "../src/graph/schema.js";

const path = new URL("../schema/orders.graphql", import.meta.url);
writeFileSync(path, await printOrdersSubgraphSdl());
console.log(`wrote ${path.pathname}`);
