// Structured JSON logs (pino). Personal data and secrets are redacted by configuration, whatever a call site
// passes; call sites also never interpolate them into messages (redaction only sees object paths).
import pino, { type DestinationStream, type Logger } from "pino";
import { serializeError } from "./errorSerializer.js";

const SECRET_KEYS = [
  "authorization",
  "Authorization",
  "router-authorization",
  "cookie",
  "x-api-key",
  "accessToken",
  "refreshToken",
  "access_token",
  "refresh_token",
  "client_secret",
  "clientSecret",
  "token",
  "password",
];
const PERSONAL_KEYS = ["email", "contact", "loyaltyMemberId", "topupPhoneCode", "topupPhoneNumber", "phone"];
// Whole structures that may hold either: GraphQL variables, inputs, ledger requests, upstream bodies.
const OPAQUE_KEYS = ["variables", "input", "userMeta", "request", "body", "orderMeta"];

const quoted = (k: string) => (/^[A-Za-z_]+$/.test(k) ? `.${k}` : `["${k}"]`);
// Exact paths only: with wildcards each line cost about 40 µs more (measured with npm run bench), and call sites
// log flat objects. The header paths cover a request or headers object logged whole.
export const REDACTED_PATHS = [
  ...[...SECRET_KEYS, ...PERSONAL_KEYS, ...OPAQUE_KEYS].map((k) => quoted(k).replace(/^\./, "")),
  ...SECRET_KEYS.flatMap((k) => [`req.headers${quoted(k)}`, `headers${quoted(k)}`]),
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "orders-subgraph" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      serializers: { err: serializeError, error: serializeError },
    },
    destination,
  );
}
