// The attempt log: every exchange with Plum, written by the client and read by operators and tests. The plum layer
// owns this port; storage implements it (both ledgers).
import type { AttemptEntry } from "./exchange.js";

export interface AttemptLog {
  appendAttempt(entry: AttemptEntry): Promise<void>;
  /** Several entries in one commit (a read's look-up exchange). */
  appendAttempts(entries: readonly AttemptEntry[]): Promise<void>;
  listAttempts(poNumber: string): Promise<AttemptEntry[]>;
}
