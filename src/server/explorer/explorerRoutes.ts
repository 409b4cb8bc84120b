// Serves the offline explorer (outside production, or with ENABLE_SANDBOX): the page on a browser's GET /graphql and
// its bundled assets under /explorer/ from dist/explorer/ (built by scripts/build-explorer.ts). Apollo's embedded
// Sandbox stays one link away (/graphql?explorer=apollo-sandbox) for whoever is online.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { EXPLORER_ASSETS_PATH, EXPLORER_CSP, explorerPage } from "./explorerPage.js";

/** dist/explorer/ at the package root, from src/server/explorer (tsx) and dist/server/explorer (built) alike. */
export const DEFAULT_EXPLORER_ASSETS_DIR = fileURLToPath(new URL("../../../dist/explorer/", import.meta.url));

export const APOLLO_SANDBOX_QUERY = "explorer=apollo-sandbox";

const CONTENT_TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".ttf": "font/ttf",
  ".txt": "text/plain; charset=utf-8",
};

const SECURITY_HEADERS = {
  "content-security-policy": EXPLORER_CSP,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

export interface ExplorerRoutes {
  /** A browser asking /graphql for a page (GET, Accept: text/html), not for Apollo's Sandbox. */
  wantsPage(req: IncomingMessage, search: string): boolean;
  page(res: ServerResponse): void;
  asset(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void>;
}

function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function createExplorerRoutes(options: { assetsDir?: string; graphqlPath?: string } = {}): ExplorerRoutes {
  const assetsDir = options.assetsDir ?? DEFAULT_EXPLORER_ASSETS_DIR;
  const graphqlPath = options.graphqlPath ?? "/graphql";
  // Only files the build wrote are served: no path from the URL ever reaches the file system.
  const assets = new Set(
    existsSync(assetsDir) ? readdirSync(assetsDir).filter((name) => extname(name) in CONTENT_TYPES) : [],
  );
  const built = assets.has("explorer.js") && assets.has("examples.json");
  const examples = built ? (JSON.parse(readFileSync(`${assetsDir}/examples.json`, "utf8")) as string[]) : [];
  const html = explorerPage({
    endpoint: graphqlPath,
    assetsUrl: EXPLORER_ASSETS_PATH,
    examples,
    headers: { "Router-Authorization": "", Authorization: "Bearer " },
    apolloSandboxUrl: `${graphqlPath}?${APOLLO_SANDBOX_QUERY}`,
  });

  return {
    wantsPage(req, search) {
      if (req.method !== "GET" && req.method !== "HEAD") return false;
      if (!(req.headers.accept ?? "").includes("text/html")) return false;
      const params = new URLSearchParams(search);
      return params.get("explorer") !== "apollo-sandbox" && !params.has("query");
    },
    page(res) {
      if (!built) {
        sendText(res, 503, "The explorer is not built: run `npm run build:explorer` (npm start and npm test do).\n");
        return;
      }
      res.writeHead(200, {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-store",
        ...SECURITY_HEADERS,
      });
      res.end(html);
    },
    async asset(req, res, pathname) {
      const name = pathname.slice(EXPLORER_ASSETS_PATH.length);
      if (req.method !== "GET" && req.method !== "HEAD")
        return sendText(res, 405, "GET only\n", { allow: "GET, HEAD" });
      if (!assets.has(name)) return sendText(res, 404, "not found\n");
      const body = await readFile(`${assetsDir}/${name}`);
      res.writeHead(200, {
        "content-type": CONTENT_TYPES[extname(name)] ?? "application/octet-stream",
        "content-length": body.length,
        "cache-control": "no-cache",
        ...SECURITY_HEADERS,
      });
      res.end(req.method === "HEAD" ? undefined : body);
    },
  };
}
