// The Plum wallet balance (getBalance, docs/plum-api.md §4.4), cached: Plum allows 10 calls a minute (§6.2).
import { toNumber, toText } from "../plum/lenient.js";
import type { Loose } from "../plum/wire.js";
import type { CataloguePlum } from "./ports.js";
import { TtlCache } from "./ttlCache.js";

export interface WalletBalance {
  value: number;
  currencyCode: string;
  asOf: Date;
}

export class BalanceUnavailableError extends Error {
  constructor() {
    super("Plum did not report the wallet balance");
    this.name = "BalanceUnavailableError";
  }
}

function loose(value: unknown): Loose {
  return typeof value === "number" || typeof value === "string" ? value : null;
}

/** `{value, currency}` (FLOW, AM-getbalance); `points` as a fallback value (helsinki io.go). */
export function parseBalance(data: unknown, asOf: Date): WalletBalance | null {
  if (data === null || typeof data !== "object" || Array.isArray(data)) return null;
  const item = data as Record<string, unknown>;
  const value = toNumber(loose(item["value"])) ?? toNumber(loose(item["points"]));
  if (value === null) return null;
  return { value, currencyCode: (toText(item["currency"]) ?? toText(item["currencyCode"]) ?? "").toUpperCase(), asOf };
}

export class WalletBalanceReader {
  private readonly cache: TtlCache<"balance", WalletBalance>;
  private inFlight: Promise<WalletBalance> | null = null;

  constructor(
    private readonly plum: CataloguePlum,
    cacheMs: number,
  ) {
    this.cache = new TtlCache(cacheMs, 1);
  }

  balance(): Promise<WalletBalance> {
    const cached = this.cache.get("balance");
    if (cached !== undefined) return Promise.resolve(cached);
    this.inFlight ??= this.fetch().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async fetch(): Promise<WalletBalance> {
    const result = await this.plum.read("getBalance", {});
    const balance = result.kind === "ok" ? parseBalance(result.data, new Date()) : null;
    if (balance === null) throw new BalanceUnavailableError();
    this.cache.set("balance", balance);
    return balance;
  }
}
