// The environment that points an app (in-process or a child process) at a simulator the test owns, with refresh
// credentials, so several app instances can share one Plum and the test can expire tokens or inject faults.
import type { PlumSimulator } from "../../src/simulator/index.js";

export function externalPlumEnv(sim: PlumSimulator): Record<string, string> {
  return {
    XOXODAY_API_URL: sim.apiUrl,
    XOXODAY_ACCESS_TOKEN: sim.tokens.accessToken,
    XOXODAY_REFRESH_TOKEN: sim.tokens.refreshToken,
    XOXODAY_CLIENT_ID: sim.client.clientId,
    XOXODAY_CLIENT_SECRET: sim.client.clientSecret,
  };
}
