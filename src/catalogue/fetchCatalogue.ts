// One complete read of Plum's catalogue: airmiles programmes, top-up operators, and each operator's plans, page by
// page. Inside getVouchers' limits (docs/plum-api.md §6.2, §4.5: 50 a minute, 500 a day): calls are paced to at most
// `perMinute` in any minute, one refresh makes at most `maxCalls`, and `usage.calls` counts what it made (even when it
// fails) for the daily budget the service keeps across replicas.
import { OrderKind } from "../orders/orderKind.js";
import { PlumErrorId, type GetVouchersData } from "../plum/wire.js";
import { parseVoucher, voucherItems } from "./parseVoucher.js";
import type { CataloguePlum } from "./ports.js";
import type { CatalogueProduct } from "./product.js";

export const PAGE_SIZE = 100;

export interface FetchLimits {
  maxCalls: number;
  perMinute: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export class CatalogueFetchError extends Error {
  constructor(readonly reason: string) {
    super(`catalogue refresh failed: ${reason}`);
    this.name = "CatalogueFetchError";
  }
}

/** Spaces calls so that no more than `perMinute` start in any 60 s (shared by every refresh of the process). */
export class CallPacer {
  private readonly starts: number[] = [];

  constructor(private readonly limits: Pick<FetchLimits, "perMinute" | "now" | "sleep">) {}

  async take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted === true) throw new CatalogueFetchError("stopped");
      const now = this.limits.now();
      while (this.starts.length > 0 && (this.starts[0] ?? 0) <= now - 60_000) this.starts.shift();
      if (this.starts.length < this.limits.perMinute) {
        this.starts.push(now);
        return;
      }
      await this.limits.sleep((this.starts[0] ?? now) + 60_000 - now);
    }
  }
}

function request(categoryType: "miles" | "topup", page: number, parentProductId?: number): GetVouchersData {
  return {
    filters: [],
    includeProducts: "",
    excludeProducts: "",
    exchangeRate: 1,
    sort: { field: "name", order: "ASC" },
    categoryType,
    ...(parentProductId === undefined ? {} : { parentProductId }),
    limit: PAGE_SIZE,
    page,
  };
}

export async function fetchCatalogue(
  plum: CataloguePlum,
  pacer: CallPacer,
  maxCalls: number,
  usage: { calls: number },
  signal?: AbortSignal,
): Promise<CatalogueProduct[]> {
  async function listAll(categoryType: "miles" | "topup", parentProductId?: number): Promise<unknown[]> {
    const all: unknown[] = [];
    for (let page = 1; ; page += 1) {
      if (usage.calls >= maxCalls) throw new CatalogueFetchError("call budget exhausted");
      if (signal?.aborted === true) throw new CatalogueFetchError("stopped");
      usage.calls += 1;
      await pacer.take(signal);
      const result = await plum.read("getVouchers", request(categoryType, page, parentProductId));
      // PLE10030 "No Vouchers Found" is an empty page, not a failure.
      if (result.kind === "rejected" && result.errorId === PlumErrorId.noVouchers) return all;
      if (result.kind !== "ok")
        throw new CatalogueFetchError(
          result.kind === "failed" ? result.reason : `rejected ${result.errorId ?? ""}`.trim(),
        );
      const items = voucherItems(result.data);
      if (items === null) throw new CatalogueFetchError("unreadable getVouchers answer");
      all.push(...items);
      if (items.length < PAGE_SIZE) return all;
    }
  }

  const products: CatalogueProduct[] = [];
  const seen = new Set<number>();
  const add = (entry: CatalogueProduct | null): void => {
    if (entry === null || seen.has(entry.productId)) return;
    seen.add(entry.productId);
    products.push(entry);
  };
  for (const item of await listAll("miles")) add(parseVoucher(item, OrderKind.AIRMILES, "product"));
  const operators: CatalogueProduct[] = [];
  for (const item of await listAll("topup")) {
    const operator = parseVoucher(item, OrderKind.TOPUP, "operator");
    if (operator !== null && !seen.has(operator.productId)) operators.push(operator);
    add(operator);
  }
  for (const operator of operators) {
    for (const item of await listAll("topup", operator.productId)) {
      const plan = parseVoucher(item, OrderKind.TOPUP, "product");
      // A plan names its operator; when Plum leaves it out, the operator we asked about is the parent.
      add(plan === null ? null : { ...plan, parentProductId: plan.parentProductId ?? operator.productId });
    }
  }
  return products;
}
