// The offline explorer: GraphiQL, bundled from its npm packages and served by this service, so nothing loads from a
// CDN. Its settings (endpoint, the README's operations, which headers to offer) come from the page itself.
import "graphiql/style.css";
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import { createRoot } from "react-dom/client";
import type { ExplorerSettings } from "../explorerSettings.js";
import { setUpWorkers } from "./workers.js";

const settingsElement = document.getElementById("explorer-settings");
const settings = JSON.parse(settingsElement?.textContent ?? "{}") as ExplorerSettings;
setUpWorkers(settings.assetsUrl);

// The header template offers Router-Authorization and Authorization; left empty they are not sent at all, so the
// same tabs work against a service with and without ROUTER_SECRET / JWT verification.
const UNSET = /^(bearer\s*)?$/i;
const withoutEmptyHeaders: typeof fetch = (input, init) => {
  const headers = new Headers(init?.headers);
  for (const [name, value] of [...headers]) if (UNSET.test(value.trim())) headers.delete(name);
  return fetch(input, { ...init, headers });
};

const fetcher = createGraphiQLFetcher({ url: settings.endpoint, fetch: withoutEmptyHeaders });
const headers = JSON.stringify(settings.headers, null, 2);

function Explorer() {
  return (
    <div className="orders-explorer">
      <header className="orders-explorer-bar">
        <strong>orders subgraph explorer</strong>
        <span>served offline by this service; the README's examples are in the tabs</span>
        {/* Apollo's page loads its code from Apollo's CDN: an option only when online. */}
        <a href={settings.apolloSandboxUrl}>Open Apollo Sandbox instead (needs internet)</a>
      </header>
      <GraphiQL
        fetcher={fetcher}
        defaultTabs={settings.examples.map((query) => ({ query, headers }))}
        defaultHeaders={headers}
        defaultEditorToolsVisibility="headers"
        isHeadersEditorEnabled
        shouldPersistHeaders={false}
      />
    </div>
  );
}

const root = document.getElementById("explorer");
if (root) createRoot(root).render(<Explorer />);
