// Standalone reference subgraph process: `node --import tsx bench/referenceSubgraphMain.ts` with PORT,
// PLUM_API_URL, PLUM_ACCESS_TOKEN and PLUM_MAX_CONNECTIONS; prints one JSON line with its URL.
import { startReferenceSubgraph } from "./referenceSubgraph.js";

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "") throw new Error(`${name} is required`);
  return value;
}

const reference = await startReferenceSubgraph({
  apiUrl: required("PLUM_API_URL"),
  accessToken: required("PLUM_ACCESS_TOKEN"),
  port: Number(process.env["PORT"] ?? "0"),
  maxConnections: Number(process.env["PLUM_MAX_CONNECTIONS"] ?? "16"),
});
process.stdout.write(`${JSON.stringify({ reference: "listening", url: reference.url })}\n`);

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  reference.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
}
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
