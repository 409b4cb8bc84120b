// Where TokenManager keeps Plum's token pair. The plum layer owns this port; storage implements it (both ledgers).
import type { AttemptEntry } from "./exchange.js";

export interface StoredTokens {
  accessToken: string;
  refreshToken: string | null;
  accessTokenExpiresAt: Date | null;
  refreshTokenExpiresAt: Date | null;
  updatedAt: Date;
}

export interface TokenLockOutcome<T> {
  store: StoredTokens | null;
  result: T;
  attempts?: AttemptEntry[];
}

export interface TokenStore {
  getTokens(): Promise<StoredTokens | null>;
  /**
   * Runs `fn` while holding the cross-replica token lock (PostgreSQL: advisory lock; SQLite: in-process mutex,
   * because the embedded engine serves one process). `fn` receives the stored pair and returns the pair to store
   * (or null to keep it) and the attempt-log rows of the exchange that produced it: both are committed together.
   * A rotated pair cannot be fetched again, so if that commit fails it is retried (in a new transaction).
   */
  withTokenLock<T>(fn: (current: StoredTokens | null) => Promise<TokenLockOutcome<T>>): Promise<T>;
}
