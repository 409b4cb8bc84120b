// Standalone simulator process: `node --import tsx src/simulator/main.ts`.
import { createPlumSimulator } from "./createSimulator.js";
import type { RateLimits, SimulatorOptions } from "./types.js";

function numberFromEnv(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number, got "${raw}"`);
  return value;
}

function optionsFromEnv(): SimulatorOptions {
  const env = process.env;
  const webhookUrl = env["SIM_WEBHOOK_URL"];
  const webhookKey = env["SIM_WEBHOOK_KEY"];
  return {
    host: env["HOST"] ?? "127.0.0.1",
    port: numberFromEnv("PORT") ?? 4010,
    autoDeliverMs: numberFromEnv("SIM_AUTO_DELIVER_MS") ?? null,
    balance: numberFromEnv("SIM_BALANCE"),
    accessToken: env["SIM_ACCESS_TOKEN"],
    refreshToken: env["SIM_REFRESH_TOKEN"],
    clientId: env["SIM_CLIENT_ID"],
    clientSecret: env["SIM_CLIENT_SECRET"],
    recordCalls: env["SIM_RECORD_CALLS"] !== "0",
    // SIM_RATE_LIMITS='{"placeOrder":100,"getOrderDetails":200}': Plum's per-window limits and penalty (§6.2).
    rateLimits: env["SIM_RATE_LIMITS"] ? (JSON.parse(env["SIM_RATE_LIMITS"]) as RateLimits) : null,
    ...(numberFromEnv("SIM_RATE_WINDOW_MS") === undefined
      ? {}
      : { rateWindowMs: numberFromEnv("SIM_RATE_WINDOW_MS") as number }),
    ...(numberFromEnv("SIM_RATE_PENALTY_SECONDS") === undefined
      ? {}
      : { ratePenaltySeconds: numberFromEnv("SIM_RATE_PENALTY_SECONDS") as number }),
    webhook:
      webhookUrl === undefined || webhookUrl === ""
        ? undefined
        : { url: webhookUrl, ...(webhookKey === undefined || webhookKey === "" ? {} : { apiKey: webhookKey }) },
  };
}

const simulator = await createPlumSimulator(optionsFromEnv());
process.stdout.write(
  `${JSON.stringify({ simulator: "listening", apiUrl: simulator.apiUrl, baseUrl: simulator.baseUrl })}\n`,
);

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  simulator.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
}
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
