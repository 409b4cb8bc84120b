// node:http routing. Unknown paths (including the playground's `/api/placeOrder`) answer 404 so a
// misconfigured client fails fast.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { PLUM_API_PATH, PLUM_TOKEN_REFRESH_PATH, PLUM_TOKEN_VALIDATE_PATH } from "../plum/wire.js";
import { ADMIN_PREFIX, handleAdmin } from "./admin.js";
import type { SimulatorCore } from "./core.js";
import { loggedBody, parseJson, readBody, sendReply } from "./http.js";
import { jsonReply, notFoundReply } from "./responses.js";
import { handleApi, handleRefresh, handleValidate } from "./routes.js";

function pathOf(url: string): string {
  const query = url.indexOf("?");
  const path = query === -1 ? url : url.slice(0, query);
  // Express-style non-strict routing: one trailing slash is ignored.
  return path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
}

async function route(core: SimulatorCore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? "GET";
  const path = pathOf(req.url ?? "/");
  if (path === ADMIN_PREFIX || path.startsWith(`${ADMIN_PREFIX}/`)) {
    sendReply(res, await handleAdmin(core, method, path, await readBody(req)));
    return;
  }
  if (method === "POST" && path === PLUM_API_PATH) return handleApi(core, req, res);
  if (method === "POST" && path === PLUM_TOKEN_REFRESH_PATH) return handleRefresh(core, req, res);
  if (method === "GET" && path === PLUM_TOKEN_VALIDATE_PATH) return handleValidate(core, req, res);
  const parsed = parseJson(await readBody(req));
  core.calls.record("unknown", loggedBody(parsed), req.headers.authorization ?? null);
  sendReply(res, notFoundReply(method, path));
}

export function createSimulatorServer(core: SimulatorCore): Server {
  return createServer({ keepAliveTimeout: 5_000 }, (req, res) => {
    route(core, req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      sendReply(res, jsonReply(500, { code: 500, error: message }));
    });
  });
}
