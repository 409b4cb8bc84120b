// Development entry (`npm start`, `npm run dev`): the app on the built-in Plum simulator unless XOXODAY_API_URL is
// set. Never part of dist/: the production image runs src/index.ts's build, which has no simulator.
import "reflect-metadata";
import { serve } from "../server/serve.js";
import { startDevApp } from "./devApp.js";

serve(startDevApp, (app) => {
  if (app.simulator === null) return;
  // A person must not miss this: stderr, plain text, beside the JSON logs on stdout.
  process.stderr.write(
    [
      "",
      "  ==============================================================================",
      "   orders subgraph: DEVELOPMENT MODE against the BUILT-IN PLUM SIMULATOR",
      "   No real Xoxoday order is placed and no money is spent.",
      `   GraphQL and Apollo Sandbox: ${app.url}`,
      `   Simulator state and fault injection: ${app.simulator.baseUrl}/__simulator/state`,
      "   Set XOXODAY_API_URL and XOXODAY_ACCESS_TOKEN to talk to Plum.",
      "  ==============================================================================",
      "",
      "",
    ].join("\n"),
  );
});
