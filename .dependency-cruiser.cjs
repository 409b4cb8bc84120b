// Import directions between the layers of src/ (README, "Layout"). `npm run lint:deps` checks them (part of
// `npm test`); test/architecture/ shows each rule bites. Paths are relative to the cruised base (src/...).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "domain-not-to-storage-or-server",
      comment:
        "The domain layers declare the ports they need; storage and server implement and wire them, never the reverse.",
      severity: "error",
      from: { path: "^src/(graph|orders|plum|auth|webhooks|config|catalogue)/" },
      to: { path: "^src/(storage|server)/" },
    },
    {
      name: "plum-not-to-orders-or-graph",
      comment: "The Plum client knows Plum's API only: orders and graph build on it.",
      severity: "error",
      from: { path: "^src/plum/" },
      to: { path: "^src/(orders|graph)/" },
    },
    {
      name: "orders-not-to-graph",
      comment: "The order services know nothing of GraphQL: graph maps them.",
      severity: "error",
      from: { path: "^src/orders/" },
      to: { path: "^src/graph/" },
    },
    {
      name: "no-circular",
      comment: "A cycle of runtime imports makes load order matter (type-only imports are erased, so they may meet).",
      severity: "error",
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^src/server/explorer/client/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".tsx", ".js"] },
  },
};
