// The app with the built-in Plum simulator injected (used when XOXODAY_API_URL is not set): the development entry
// and the in-process tests start it this way. Outside the production build (tsconfig.build.json).
import type { Config } from "../config/config.js";
import { startApp, type AppOptions, type RunningApp } from "../server/app.js";
import type { PlumSimulator } from "../simulator/index.js";
import { startBuiltInSimulator } from "./builtInSimulator.js";

export function startDevApp(
  config: Config,
  options: Omit<AppOptions, "builtInPlum"> = {},
): Promise<RunningApp<PlumSimulator>> {
  return startApp(config, { ...options, builtInPlum: startBuiltInSimulator });
}
