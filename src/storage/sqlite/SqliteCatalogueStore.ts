// The catalogue snapshot in the embedded ledger's file. One process owns the file, so the refresh lease only
// matters across restarts; it is kept anyway so both engines behave alike (one conformance suite).
import type { DatabaseSync, SQLInputValue } from "node:sqlite";
import type { CallUsage, CatalogueStore, ListFilter, RefreshCondition } from "../../catalogue/ports.js";
import type { CatalogueMeta, CatalogueProduct } from "../../catalogue/product.js";
import { catalogueData, fromCatalogueData } from "../catalogueRow.js";
import type { StatementCache } from "./statements.js";
import { immediateTransaction } from "./transaction.js";

interface ProductRow {
  data: string;
  active: number;
}

/** Adds a refresh's calls to its day's count (params: day, calls, calls, day); a new day starts from zero. */
const COUNT_USAGE = "budget_calls = CASE WHEN budget_day = ? THEN budget_calls + ? ELSE ? END, budget_day = ?";

const date = (value: unknown): Date | null => (typeof value === "number" ? new Date(value) : null);

export class SqliteCatalogueStore implements CatalogueStore {
  /** Rows written (the WAL checkpoint timer counts them with the orders' writes: these bypass the committer). */
  writes = 0;

  constructor(
    private readonly db: DatabaseSync,
    private readonly statements: StatementCache,
  ) {}

  async meta(): Promise<CatalogueMeta> {
    const row = this.statements
      .get(
        "SELECT refreshed_at, last_attempt_at, last_failure_at, last_refresh_calls, budget_day, budget_calls FROM catalogue_state WHERE id = 1",
      )
      .get();
    return {
      refreshedAt: date(row?.["refreshed_at"]),
      lastAttemptAt: date(row?.["last_attempt_at"]),
      lastFailureAt: date(row?.["last_failure_at"]),
      lastRefreshCalls: typeof row?.["last_refresh_calls"] === "number" ? row["last_refresh_calls"] : null,
      budgetDay: typeof row?.["budget_day"] === "string" ? row["budget_day"] : null,
      budgetCalls: typeof row?.["budget_calls"] === "number" ? row["budget_calls"] : 0,
    };
  }

  async findProducts(productIds: readonly number[]): Promise<CatalogueProduct[]> {
    if (productIds.length === 0) return [];
    const ids = JSON.stringify([...new Set(productIds)]);
    const rows = this.statements
      .get("SELECT data, active FROM catalogue_products WHERE product_id IN (SELECT value FROM json_each(?))")
      .all(ids) as unknown as ProductRow[];
    return rows.map((row) => fromCatalogueData(row.data, row.active === 1));
  }

  async list(filter: ListFilter): Promise<CatalogueProduct[]> {
    const rows = this.statements
      .get(
        `SELECT data, active FROM catalogue_products
         WHERE kind = ? AND role = ? AND active = 1 AND (? IS NULL OR country_code = ?) AND (? IS NULL OR parent_product_id = ?)
         ORDER BY name, product_id`,
      )
      .all(
        filter.kind,
        filter.role,
        filter.countryCode ?? null,
        filter.countryCode?.toUpperCase() ?? null,
        filter.parentProductId ?? null,
        filter.parentProductId ?? null,
      ) as unknown as ProductRow[];
    return rows.map((row) => fromCatalogueData(row.data, true));
  }

  async beginRefresh(owner: string, leaseMs: number, condition: RefreshCondition, now: Date): Promise<boolean> {
    const at = now.getTime();
    const result = this.statements
      .get(
        `UPDATE catalogue_state SET lease_owner = ?, lease_until = ?, last_attempt_at = ?
         WHERE id = 1 AND (lease_owner IS NULL OR lease_until < ?)
           AND (? IS NULL OR refreshed_at IS NULL OR refreshed_at < ?)
           AND (last_attempt_at IS NULL OR last_attempt_at < ?)
           AND (budget_day IS NULL OR budget_day <> ? OR budget_calls <= ?)`,
      )
      .run(
        owner,
        at + leaseMs,
        at,
        at,
        condition.refreshedBefore?.getTime() ?? null,
        condition.refreshedBefore?.getTime() ?? null,
        condition.attemptedBefore.getTime(),
        condition.budget.day,
        condition.budget.maxUsed,
      );
    this.writes += 1;
    return Number(result.changes) === 1;
  }

  async commitRefresh(
    owner: string,
    products: readonly CatalogueProduct[],
    now: Date,
    usage: CallUsage,
  ): Promise<boolean> {
    const at = now.getTime();
    this.writes += products.length + 1;
    return immediateTransaction(this.db, () => {
      const held = this.statements
        .get("SELECT 1 AS held FROM catalogue_state WHERE id = 1 AND lease_owner = ?")
        .get(owner);
      if (held === undefined) return false;
      this.statements.get("UPDATE catalogue_products SET active = 0").run();
      const upsert = this.statements.get(
        `INSERT INTO catalogue_products (product_id, kind, role, parent_product_id, country_code, name, active, data, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (product_id) DO UPDATE SET kind = excluded.kind, role = excluded.role,
           parent_product_id = excluded.parent_product_id, country_code = excluded.country_code, name = excluded.name,
           active = excluded.active, data = excluded.data, updated_at = excluded.updated_at`,
      );
      for (const product of products) {
        const values: SQLInputValue[] = [
          product.productId,
          product.kind,
          product.role,
          product.parentProductId,
          product.countryCode,
          product.name,
          product.active ? 1 : 0,
          catalogueData(product),
          at,
        ];
        upsert.run(...values);
      }
      this.statements
        .get(
          `UPDATE catalogue_state SET refreshed_at = ?, last_refresh_calls = ?, lease_owner = NULL, lease_until = NULL, ${COUNT_USAGE} WHERE id = 1`,
        )
        .run(at, usage.calls, usage.day, usage.calls, usage.calls, usage.day);
      return true;
    });
  }

  async failRefresh(owner: string, now: Date, usage: CallUsage): Promise<void> {
    // The calls count whether or not the lease is still ours: Plum counted them.
    this.statements
      .get(
        `UPDATE catalogue_state SET last_failure_at = ?, ${COUNT_USAGE},
           lease_owner = CASE WHEN lease_owner = ? THEN NULL ELSE lease_owner END,
           lease_until = CASE WHEN lease_owner = ? THEN NULL ELSE lease_until END
         WHERE id = 1`,
      )
      .run(now.getTime(), usage.day, usage.calls, usage.calls, usage.day, owner, owner);
    this.writes += 1;
  }
}
