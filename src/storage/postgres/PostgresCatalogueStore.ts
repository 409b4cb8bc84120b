// The catalogue snapshot shared by every replica. The refresh lease is one conditional UPDATE of the state row, so
// of replicas that find the catalogue due at once exactly one refreshes; the snapshot is committed in one
// transaction, so readers see the old one or the new one, never a mix.
import type { Pool } from "pg";
import type { CatalogueStore, ListFilter, RefreshCondition } from "../../catalogue/ports.js";
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
}

export class PostgresCatalogueStore implements CatalogueStore {
  constructor(private readonly pool: Pool) {}

  async meta(): Promise<CatalogueMeta> {
    const { rows } = await this.pool.query<StateRow>("SELECT refreshed_at, last_attempt_at, last_failure_at FROM catalogue_state WHERE id = 1");
    const row = rows[0];
    return { refreshedAt: row?.refreshed_at ?? null, lastAttemptAt: row?.last_attempt_at ?? null, lastFailureAt: row?.last_failure_at ?? null };
  }

  async findProducts(productIds: readonly number[]): Promise<CatalogueProduct[]> {
    if (productIds.length === 0) return [];
    const { rows } = await this.pool.query<ProductRow>("SELECT data, active FROM catalogue_products WHERE product_id = ANY($1::int[])", [
      [...new Set(productIds)],
    ]);
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
         AND (last_attempt_at IS NULL OR last_attempt_at < $5::timestamptz)`,
      [owner, now, leaseMs, condition.refreshedBefore, condition.attemptedBefore],
    );
    return rowCount === 1;
  }

  async commitRefresh(owner: string, products: readonly CatalogueProduct[], now: Date): Promise<boolean> {
    return inTransaction(this.pool, async (client) => {
      // FOR UPDATE: a replica whose lease expired meanwhile cannot commit over the new holder.
      const held = await client.query("SELECT 1 FROM catalogue_state WHERE id = 1 AND lease_owner = $1 FOR UPDATE", [owner]);
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
      await client.query("UPDATE catalogue_state SET refreshed_at = $1, lease_owner = NULL, lease_until = NULL WHERE id = 1", [now]);
      return true;
    });
  }

  async failRefresh(owner: string, now: Date): Promise<void> {
    await this.pool.query(
      "UPDATE catalogue_state SET last_failure_at = $1, lease_owner = NULL, lease_until = NULL WHERE id = 1 AND lease_owner = $2",
      [now, owner],
    );
  }
}
