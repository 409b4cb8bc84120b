// The token upsert both engines run: same statement, the engine's placeholders, parameters in placeholder order.
import { describe, expect, it } from "vitest";
import { tokenUpsertParams, tokenUpsertSql } from "../../../src/storage/shared/tokenUpsert.js";

describe("token upsert", () => {
  it("numbers the five parameters with the engine's placeholder and keeps the single row (id 1)", () => {
    expect(tokenUpsertSql((n) => `$${n}`)).toContain("VALUES (1, $1, $2, $3, $4, $5)");
    expect(tokenUpsertSql(() => "?")).toContain("VALUES (1, ?, ?, ?, ?, ?)");
    expect(tokenUpsertSql(() => "?")).toContain("ON CONFLICT (id) DO UPDATE SET access_token = excluded.access_token");
  });

  it("passes the pair and its instants in placeholder order, missing instants as null", () => {
    const tokens = {
      accessToken: "a",
      refreshToken: null,
      accessTokenExpiresAt: new Date(2000),
      refreshTokenExpiresAt: null,
      updatedAt: new Date(1000),
    };
    expect(tokenUpsertParams(tokens, (value) => value.getTime())).toEqual(["a", null, 2000, null, 1000]);
  });
});
