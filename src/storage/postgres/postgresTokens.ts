// The single-row Plum token store.
import type { StoredTokens } from "../ledger.js";
import { tokenUpsertParams, tokenUpsertSql } from "../shared/tokenUpsert.js";
import { toStoredTokens, type TokensRow } from "./postgresRows.js";
import type { Queryable } from "./transaction.js";

const UPSERT = tokenUpsertSql((n) => `$${n}`);

export async function readTokens(db: Queryable): Promise<StoredTokens | null> {
  const { rows } = await db.query<TokensRow>("SELECT * FROM plum_tokens WHERE id = 1");
  const row = rows[0];
  return row === undefined ? null : toStoredTokens(row);
}

export async function storeTokens(db: Queryable, tokens: StoredTokens): Promise<void> {
  await db.query(
    UPSERT,
    tokenUpsertParams(tokens, (value) => value),
  );
}
