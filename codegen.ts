// GraphQL Code Generator: typed documents for the tests' operations (test/operations/*.graphql), checked against the
// committed subgraph SDL. `npm run codegen` writes test/__generated__/ (committed); `npm run codegen:check` fails
// when those files are stale (part of `npm test`).
//
// Federation directives: schema/orders.graphql is the *subgraph* SDL (`extend schema @link(...)`, `@key`) without
// directive definitions. Codegen's loader accepts that file as is (it does not validate directive usages), but it
// would lack what the running subgraph adds on top: `Query._entities`, `Query._service`, `_Any`, `_Entity`, and the
// definitions of `@link`/`@key`, so the Entities operation (what the router sends) would fail validation
// ("Unknown type _Any", "Cannot query field _entities"). So the schema handed to codegen is the committed file run
// through @apollo/subgraph's buildSubgraphSchema, i.e. exactly the schema the service serves, printed as plain SDL.
// No directive definitions are written by hand (federation-notes.md, pitfall 21).
import { readFileSync } from "node:fs";
import { buildSubgraphSchema } from "@apollo/subgraph";
import type { CodegenConfig } from "@graphql-codegen/cli";
import { parse, printSchema } from "graphql";

const SUBGRAPH_SDL = "./schema/orders.graphql";

const servedSchemaSdl = printSchema(buildSubgraphSchema({ typeDefs: parse(readFileSync(SUBGRAPH_SDL, "utf8")) }));

const config: CodegenConfig = {
  schema: servedSchemaSdl,
  documents: ["test/operations/**/*.graphql"],
  // Regenerate over the committed files; `--check` instead compares what it would write with them.
  overwrite: true,
  generates: {
    "test/__generated__/": {
      preset: "client",
      presetConfig: {
        // The tests read payloads directly; masked fragment types would force an unmask call on every access.
        fragmentMasking: false,
      },
      config: {
        // ESM + NodeNext + verbatimModuleSyntax: relative imports need `.js` and type-only imports must say so.
        importExtension: ".js",
        useTypeImports: true,
        // A scalar not mapped here becomes `unknown`, never `any`. (The served schema also has federation's own
        // scalars, e.g. federation__FieldSet, that no operation uses; they need no mapping.)
        defaultScalarType: "unknown",
        scalars: {
          // graphql-scalars' DateTimeISO serializes to an ISO 8601 string.
          DateTimeISO: "string",
          // An entity representation: __typename plus the key fields.
          _Any: "{ __typename: string; [field: string]: unknown }",
        },
      },
    },
  },
};

export default config;
