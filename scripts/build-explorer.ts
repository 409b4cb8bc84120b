// Builds the offline explorer into dist/explorer/ (npm run build:explorer; part of npm run build and npm test):
// GraphiQL and React bundled with esbuild, Monaco's three workers, the stylesheet with its fonts, and the README's
// GraphQL operations (examples.json) for the explorer's tabs. Nothing is fetched: everything comes from node_modules.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { readmeExamples } from "../src/server/explorer/readmeExamples.js";

const root = new URL("../", import.meta.url);
const outdir = fileURLToPath(new URL("dist/explorer/", root));
const from = (path: string) => fileURLToPath(new URL(path, root));

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });

const common = {
  bundle: true,
  minify: true,
  legalComments: "linked",
  target: "es2022",
  logLevel: "warning",
  define: { "process.env.NODE_ENV": '"production"' },
} as const;

await Promise.all([
  build({
    ...common,
    entryPoints: { explorer: from("src/server/explorer/client/main.tsx") },
    outdir,
    format: "esm",
    jsx: "automatic",
    tsconfig: from("src/server/explorer/client/tsconfig.json"),
    // Monaco's codicon font; served from here like everything else.
    loader: { ".ttf": "file", ".woff": "file", ".woff2": "file" },
    assetNames: "[name]-[hash]",
  }),
  build({
    ...common,
    entryPoints: {
      "editor.worker": from("node_modules/monaco-editor/esm/vs/editor/editor.worker.js"),
      "json.worker": from("node_modules/monaco-editor/esm/vs/language/json/json.worker.js"),
      "graphql.worker": from("node_modules/monaco-graphql/esm/graphql.worker.js"),
    },
    outdir,
    format: "iife",
  }),
]);

const examples = readmeExamples(readFileSync(from("README.md"), "utf8"))
  .filter((example) => example.kind === "graphql")
  .map((example) => example.query);
writeFileSync(`${outdir}examples.json`, `${JSON.stringify(examples, null, 2)}\n`);
console.log(`explorer built in ${outdir} (${examples.length} README operations)`);
