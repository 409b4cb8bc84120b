// Starts the built-in Plum simulator for the development entry and in-process tests (never part of dist/).
import type { Logger } from "pino";
import type { Config } from "../config/config.js";
import { createPlumSimulator, type PlumSimulator } from "../simulator/index.js";
import { simulatorStateFile } from "./simulatorStateFile.js";

export async function startBuiltInSimulator(config: Config, log: Logger): Promise<PlumSimulator> {
  const stateFile = simulatorStateFile(config);
  // Call bodies (with personal data and bearer tokens) are kept only under test, where assertions read them;
  // counters are kept always.
  const simulator = await createPlumSimulator({
    port: config.simulatorPort,
    recordCalls: config.env === "test",
    // A restarted simulator must not hand out ids the ledger already holds (order_id is unique there).
    firstOrderId: Date.now(),
    stateFile,
  });
  log.warn(
    { simulator: simulator.baseUrl, stateFile: stateFile ?? "none (in memory)" },
    "XOXODAY_API_URL is not set: orders go to the BUILT-IN PLUM SIMULATOR. No real order is placed and no money is spent.",
  );
  return simulator;
}
