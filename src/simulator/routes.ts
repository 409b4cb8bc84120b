// The upstream routes: the single API endpoint, token refresh and token validation.
import type { IncomingMessage, ServerResponse } from "node:http";
import { PlumErrorId, PlumOperation, type PlumOperationName } from "../plum/wire.js";
import type { SimulatorCore } from "./core.js";
import { respondWithFault } from "./faultRunner.js";
import { loggedBody, parseJson, readBody, sendReply, type ParsedBody } from "./http.js";
import { isRecord } from "./loose.js";
import { businessError, rateLimitReply } from "./responses.js";

const OPERATION_BY_QUERY = new Map<string, PlumOperationName>(
  (Object.keys(PlumOperation) as PlumOperationName[]).map((name) => [PlumOperation[name], name]),
);

function apiOperation(parsed: ParsedBody): PlumOperationName | "unknown" {
  if (!parsed.ok || !isRecord(parsed.value)) return "unknown";
  const query = parsed.value["query"];
  return (typeof query === "string" ? OPERATION_BY_QUERY.get(query) : undefined) ?? "unknown";
}

function variablesData(body: unknown): unknown {
  if (!isRecord(body)) return undefined;
  const variables = body["variables"];
  return isRecord(variables) ? variables["data"] : undefined;
}

/** POST /chef/v1/oauth/api. */
export async function handleApi(core: SimulatorCore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const parsed = parseJson(await readBody(req));
  const operation = apiOperation(parsed);
  const authorization = req.headers.authorization;
  core.calls.record(operation, loggedBody(parsed), authorization ?? null);

  const auth = core.tokens.authenticate(authorization);
  if (!auth.ok) return sendReply(res, auth.reply);
  if (operation === "unknown") {
    const detail = parsed.ok ? "Unknown or missing query" : "Request body must be JSON";
    return sendReply(res, businessError(400, PlumErrorId.validation, "Validation error in place order", detail));
  }
  const rate = core.rateLimiter.decide(operation);
  if (!rate.allowed) return sendReply(res, rateLimitReply(429, rate.penaltySeconds));

  const data = variablesData(parsed.ok ? parsed.value : undefined);
  if (operation === "placeOrder") return respondWithFault(core, res, operation, () => core.placeOrder(data));
  if (operation === "getOrderHistory") return respondWithFault(core, res, operation, () => core.getOrderHistory(data));
  if (operation === "getVouchers") return respondWithFault(core, res, operation, () => core.getVouchers(data));
  if (operation === "lookupMobileNumber")
    return respondWithFault(core, res, operation, () => core.lookupMobileNumber(data));
  if (operation === "getBalance") return respondWithFault(core, res, operation, () => core.getBalance());
  await respondWithFault(core, res, operation, () => core.getOrderDetails(data), {
    otherOrder: (mode) => core.getOtherOrderDetails(data, mode),
  });
}

/** POST /chef/v1/oauth/token/user. JSON per the docs; a form body is accepted too. */
export async function handleRefresh(core: SimulatorCore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const raw = await readBody(req);
  const parsed = parseJson(raw);
  const body = parsed.ok ? parsed.value : Object.fromEntries(new URLSearchParams(raw));
  core.calls.record("tokenRefresh", loggedBody(parsed), req.headers.authorization ?? null);
  await respondWithFault(core, res, "tokenRefresh", () => core.tokens.refreshTokens(body));
}

/** GET /chef/v1/oauth/token. */
export async function handleValidate(core: SimulatorCore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const parsed = parseJson(await readBody(req));
  const authorization = req.headers.authorization;
  core.calls.record("tokenValidate", loggedBody(parsed), authorization ?? null);
  sendReply(res, core.tokens.validate(authorization));
}
