// The single-row Plum token store.
import type { StoredTokens } from "../ledger.js";
import { toStoredTokens, type TokensRow } from "./postgresRows.js";
import type { Queryable } from "./transaction.js";

export async function readTokens(db: Queryable): Promise<StoredTokens | null> {
  const { rows } = await db.query<TokensRow>("SELECT * FROM plum_tokens WHERE id = 1");
  const row = rows[0];
  return row === undefined ? null : toStoredTokens(row);
}

export async function storeTokens(db: Queryable, tokens: StoredTokens): Promise<void> {
  await db.query(
    `INSERT INTO plum_tokens (id, access_token, refresh_token, access_token_expires_at, refresh_token_expires_at,
       updated_at)
     VALUES (1, $1, $2, $3, $4, $5)
     ON CONFLICT (id) DO UPDATE SET access_token = excluded.access_token, refresh_token = excluded.refresh_token,
       access_token_expires_at = excluded.access_token_expires_at,
       refresh_token_expires_at = excluded.refresh_token_expires_at, updated_at = excluded.updated_at`,
    [tokens.accessToken, tokens.refreshToken, tokens.accessTokenExpiresAt, tokens.refreshTokenExpiresAt, tokens.updatedAt],
  );
}
