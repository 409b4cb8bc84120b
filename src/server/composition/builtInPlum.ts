// What the app needs from a Plum that runs beside it (the development entry's simulator, tests' embedded one). The
// production entry injects none: without XOXODAY_API_URL it refuses to start, and dist/ holds no simulator.
import type { Logger } from "pino";
import type { Config } from "../../config/config.js";

export interface BuiltInPlum {
  /** Base of Plum's API (what XOXODAY_API_URL would be). */
  readonly apiUrl: string;
  /** Root of its token endpoints. */
  readonly baseUrl: string;
  /** The token pair it issued at start. */
  readonly tokens: { accessToken: string; refreshToken: string };
  /** The client credentials its refresh endpoint accepts. */
  readonly client: { clientId: string; clientSecret: string };
  /** Where its delivery-status callbacks go, once the app listens. */
  setWebhook(target: { url: string; apiKey?: string | undefined }): void;
  close(): Promise<void>;
}

export type StartBuiltInPlum<P extends BuiltInPlum> = (config: Config, log: Logger) => Promise<P>;

/** Fails before anything starts when the configuration names no Plum and none may be started here. */
export function checkPlumEndpoint(config: Config, startBuiltIn: StartBuiltInPlum<BuiltInPlum> | undefined): void {
  if (config.plum.apiUrl !== undefined) return;
  if (config.production) throw new Error("the Plum simulator is never used in production");
  if (startBuiltIn === undefined) {
    throw new Error(
      "XOXODAY_API_URL is not set and this entry has no built-in Plum simulator (use `npm start` to develop against one)",
    );
  }
}

/** The configured Plum, or a started built-in one when none is configured (checkPlumEndpoint ran first). */
export async function plumEndpoint<P extends BuiltInPlum>(
  config: Config,
  startBuiltIn: StartBuiltInPlum<P> | undefined,
  log: Logger,
): Promise<{ apiUrl: string; builtIn: P | null }> {
  if (config.plum.apiUrl !== undefined) return { apiUrl: config.plum.apiUrl, builtIn: null };
  if (startBuiltIn === undefined) throw new Error("no Plum endpoint");
  const builtIn = await startBuiltIn(config, log);
  return { apiUrl: builtIn.apiUrl, builtIn };
}
