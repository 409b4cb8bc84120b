import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // Vite would resolve `graphql` to its ESM build (index.mjs) for our sources, while Apollo, type-graphql and
    // @apollo/subgraph load the CommonJS build through Node: two GraphQLError classes, so `instanceof` checks
    // (Apollo's on context errors, our formatError's) fail in tests only. Node (tsx, dist) loads one copy.
    alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }],
  },
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/support/setup.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The machine has 2 cores; more workers only add contention to the socket-level tests.
    maxWorkers: 2,
    // The JSON report lets .ci/run print a plain "N passed, N failed" line and refuse a run of zero tests.
    reporters: ["default", "json"],
    outputFile: { json: "test-results/vitest.json" },
  },
});
