// Structured JSON logs (pino). Personal data and secrets are redacted by configuration, whatever a call site
// passes; call sites also never interpolate them into messages (redaction only sees object paths).
import pino, { type DestinationStream, type Logger } from "pino";

const SECRET_KEYS = [
  "authorization", "Authorization", "router-authorization", "cookie", "x-api-key",
  "accessToken", "refreshToken", "access_token", "refresh_token", "client_secret", "clientSecret", "token", "password",
];
const PERSONAL_KEYS = ["email", "contact", "loyaltyMemberId", "topupPhoneCode", "topupPhoneNumber", "phone"];
// Whole structures that may hold either: GraphQL variables, inputs, ledger requests, upstream bodies.
const OPAQUE_KEYS = ["variables", "input", "userMeta", "request", "body", "orderMeta"];

const keys = [...SECRET_KEYS, ...PERSONAL_KEYS, ...OPAQUE_KEYS].map((k) => (/^[A-Za-z_]+$/.test(k) ? k : `["${k}"]`));
export const REDACTED_PATHS = [
  ...keys.map((k) => (k.startsWith("[") ? `*${k}` : `*.${k}`)),
  ...keys.map((k) => (k.startsWith("[") ? `*.*${k}` : `*.*.${k}`)),
  ...keys,
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "orders-subgraph" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    },
    destination,
  );
}
