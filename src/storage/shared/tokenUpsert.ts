// The single-row Plum token store's upsert, for both engines: only the placeholders and the instants' column type
// differ.
import type { StoredTokens } from "../ledger.js";

/** `placeholder(n)`: the engine's n-th parameter (1-based), e.g. `?` or `$1`. */
export function tokenUpsertSql(placeholder: (n: number) => string): string {
  const values = [1, 2, 3, 4, 5].map(placeholder).join(", ");
  return `INSERT INTO plum_tokens (id, access_token, refresh_token, access_token_expires_at, refresh_token_expires_at,
       updated_at)
     VALUES (1, ${values})
     ON CONFLICT (id) DO UPDATE SET access_token = excluded.access_token, refresh_token = excluded.refresh_token,
       access_token_expires_at = excluded.access_token_expires_at,
       refresh_token_expires_at = excluded.refresh_token_expires_at, updated_at = excluded.updated_at`;
}

/** The upsert's parameters in placeholder order; `instant` converts to the engine's timestamp type. */
export function tokenUpsertParams<T>(tokens: StoredTokens, instant: (value: Date) => T): (string | T | null)[] {
  const orNull = (value: Date | null) => (value === null ? null : instant(value));
  return [
    tokens.accessToken,
    tokens.refreshToken,
    orNull(tokens.accessTokenExpiresAt),
    orNull(tokens.refreshTokenExpiresAt),
    instant(tokens.updatedAt),
  ];
}
