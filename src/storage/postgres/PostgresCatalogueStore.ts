// The catalogue snapshot shared by every replica. The refresh lease is one conditional UPDATE of the state row, so
// of replicas that find the catalogue due at once exactly one refreshes; the snapshot is committed in one
// transaction, so readers see the old one or the new one, never a mix.
import type { Pool } from "pg";
import type { CallUsage, CatalogueStore, ListFilter, RefreshCondition } from "../../catalogue/ports.js";
import type { CatalogueMeta, CatalogueProduct } from "../../catalogue/product.js";
import { catalogueData, fromCatalogueData } from "../catalogueRow.js";
import { inTransaction } from "./transaction.js";

interface ProductRow {
  data: unknown;
  active: boolean;
}

interface StateRow {
  refreshed_at: Date | null;
  last_attempt_at: Date | null;
  last_failure_at: Date | null;
  last_refresh_calls: number | null;
  budget_day: string | null;
  budget_calls: number;
}

/** Adds a refresh's calls to its day's count ($d: day, $c: calls); a new day starts from zero. */
const countUsage = (d: string, c: string): string =>
  `budget_calls = CASE WHEN budget_day = ${d} THEN budget_calls + ${c} ELSE ${c} END, budget_day = ${d}`;

export class PostgresCatalogueStore implements CatalogueStore {
  constructor(private readonly pool: Pool) {}

  async meta(): Promise<CatalogueMeta> {
    const { rows } = await this.pool.query<StateRow>(
      "SELECT refreshed_at, last_attempt_at, last_failure_at, last_refresh_calls, budget_day, budget_calls FROM catalogue_state WHERE id = 1",
    );
    const row = rows[0];
    return {
      refreshedAt: row?.refreshed_at ?? null,
      lastAttemptAt: row?.last_attempt_at ?? null,
      lastFailureAt: row?.last_failure_at ?? null,
      lastRefreshCalls: row?.last_refresh_calls ?? null,
      budgetDay: row?.budget_day ?? null,
      budgetCalls: row?.budget_calls ?? 0,
    };
  }

  async findProducts(productIds: readonly number[]): Promise<CatalogueProduct[]> {
    if (productIds.length === 0) return [];
    const { rows } = await this.pool.query<ProductRow>(
      "SELECT data, active FROM catalogue_products WHERE product_id = ANY($1::int[])",
      [[...new Set(productIds)]],
    );
    return rows.map((row) => fromCatalogueData(row.data, row.active));
  }

  async list(filter: ListFilter): Promise<CatalogueProduct[]> {
    const { rows } = await this.pool.query<ProductRow>(
      `SELECT data, active FROM catalogue_products
       WHERE kind = $1 AND role = $2 AND active AND ($3::text IS NULL OR country_code = upper($3::text))
         AND ($4::int IS NULL OR parent_product_id = $4::int)
       ORDER BY name, product_id`,
      [filter.kind, filter.role, filter.countryCode ?? null, filter.parentProductId ?? null],
    );
    return rows.map((row) => fromCatalogueData(row.data, true));
  }

  async beginRefresh(owner: string, leaseMs: number, condition: RefreshCondition, now: Date): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE catalogue_state SET lease_owner = $1, lease_until = $2::timestamptz + $3 * interval '1 millisecond', last_attempt_at = $2
       WHERE id = 1 AND (lease_owner IS NULL OR lease_until < $2::timestamptz)
         AND ($4::timestamptz IS NULL OR refreshed_at IS NULL OR refreshed_at < $4::timestamptz)
         AND (last_attempt_at IS NULL OR last_attempt_at < $5::timestamptz)
         AND (budget_day IS NULL OR budget_day <> $6::text OR budget_calls <= $7::int)`,
      [
        owner,
        now,
        leaseMs,
        condition.refreshedBefore,
        condition.attemptedBefore,
        condition.budget.day,
        condition.budget.maxUsed,
      ],
    );
    return rowCount === 1;
  }

  async commitRefresh(
    owner: string,
    products: readonly CatalogueProduct[],
    now: Date,
    usage: CallUsage,
  ): Promise<boolean> {
    return inTransaction(this.pool, async (client) => {
      // FOR UPDATE: a replica whose lease expired meanwhile cannot commit over the new holder.
      const held = await client.query("SELECT 1 FROM catalogue_state WHERE id = 1 AND lease_owner = $1 FOR UPDATE", [
        owner,
      ]);
      if (held.rowCount !== 1) return false;
      await client.query("UPDATE catalogue_products SET active = false");
      if (products.length > 0) {
        await client.query(
          `INSERT INTO catalogue_products (product_id, kind, role, parent_product_id, country_code, name, active, data, updated_at)
           SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::boolean[], $8::jsonb[])
             AS p(product_id, kind, role, parent_product_id, country_code, name, active, data)
             CROSS JOIN (SELECT $9::timestamptz AS updated_at) t
           ON CONFLICT (product_id) DO UPDATE SET kind = excluded.kind, role = excluded.role,
             parent_product_id = excluded.parent_product_id, country_code = excluded.country_code, name = excluded.name,
             active = excluded.active, data = excluded.data, updated_at = excluded.updated_at`,
          [
            products.map((p) => p.productId),
            products.map((p) => p.kind),
            products.map((p) => p.role),
            products.map((p) => p.parentProductId),
            products.map((p) => p.countryCode),
            products.map((p) => p.name),
            products.map((p) => p.active),
            products.map((p) => catalogueData(p)),
            now,
          ],
        );
      }
      await client.query(
        `UPDATE catalogue_state SET refreshed_at = $1, last_refresh_calls = $3::int, lease_owner = NULL, lease_until = NULL,
           ${countUsage("$2::text", "$3::int")} WHERE id = 1`,
        [now, usage.day, usage.calls],
      );
      return true;
    });
  }

  async failRefresh(owner: string, now: Date, usage: CallUsage): Promise<void> {
    // The calls count whether or not the lease is still ours: Plum counted them.
    await this.pool.query(
      `UPDATE catalogue_state SET last_failure_at = $1, ${countUsage("$3::text", "$4::int")},
         lease_owner = CASE WHEN lease_owner = $2 THEN NULL ELSE lease_owner END,
         lease_until = CASE WHEN lease_owner = $2 THEN NULL ELSE lease_until END
       WHERE id = 1`,
      [now, owner, usage.day, usage.calls],
    );
  }
}
