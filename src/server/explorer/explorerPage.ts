// The explorer's HTML page. Everything it loads comes from this service (/explorer/…), and its content security
// policy tells the browser so: a request to any other origin is refused by the browser itself.
import type { ExplorerSettings } from "./explorerSettings.js";

export const EXPLORER_ASSETS_PATH = "/explorer/";

export const EXPLORER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // Monaco and GraphiQL set element styles at run time.
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "worker-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

/** JSON that cannot close the <script> element it sits in. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");
}

export function explorerPage(settings: ExplorerSettings): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>orders subgraph · explorer</title>
<link rel="stylesheet" href="${EXPLORER_ASSETS_PATH}explorer.css">
<style>
  html, body { height: 100%; margin: 0; }
  #explorer { height: 100vh; }
  .orders-explorer { display: flex; flex-direction: column; height: 100%; }
  .orders-explorer > .graphiql-container { flex: 1; min-height: 0; }
  .orders-explorer-bar { display: flex; gap: 1em; align-items: baseline; padding: 6px 12px; font: 13px system-ui, sans-serif; border-bottom: 1px solid #ddd; }
  .orders-explorer-bar a { margin-left: auto; }
</style>
</head>
<body>
<div id="explorer">Loading the explorer…</div>
<script type="application/json" id="explorer-settings">${scriptSafeJson(settings)}</script>
<script type="module" src="${EXPLORER_ASSETS_PATH}explorer.js"></script>
</body>
</html>
`;
}
