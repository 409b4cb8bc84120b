// npm run schema:check [-- --base <git ref>]: the committed SDL against main's (or the released baseline), exit 1 on
// unacknowledged breaking changes. Runs in .ci/run and in the CI workflow next to rover subgraph check.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { resolveBaseline, SDL_PATH } from "./schemaCheck/baseline.js";
import { checkSchema, formatResult, parseAcknowledgements } from "./schemaCheck/schemaCheck.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const baseIndex = process.argv.indexOf("--base");
const explicitRef = baseIndex === -1 ? process.env["SCHEMA_BASE_REF"] || undefined : process.argv[baseIndex + 1];
const acknowledgementsPath = `${root}schema/breaking-changes.yaml`;

const baseline = resolveBaseline(root, explicitRef);
const acknowledgements = existsSync(acknowledgementsPath)
  ? parseAcknowledgements(readFileSync(acknowledgementsPath, "utf8"))
  : [];
const result = await checkSchema(baseline.sdl, readFileSync(`${root}${SDL_PATH}`, "utf8"), acknowledgements);
console.log(formatResult(result, baseline.source));
process.exitCode = result.ok ? 0 : 1;
