// Which operator a phone number belongs to (lookupMobileNumber), cached briefly: the answer rarely changes, and a
// form asks again on every keystroke pause. Numbers are kept in memory only, never logged.
import { parseOperatorLookup, type DetectedOperator } from "./parseOperatorLookup.js";
import type { CataloguePlum } from "./ports.js";
import { TtlCache } from "./ttlCache.js";

export class OperatorLookupUnavailableError extends Error {
  constructor() {
    super("Plum could not be asked which operator the number belongs to");
    this.name = "OperatorLookupUnavailableError";
  }
}

export class OperatorDetector {
  private readonly cache: TtlCache<string, DetectedOperator | null>;

  constructor(
    private readonly plum: CataloguePlum,
    cacheMs: number,
  ) {
    this.cache = new TtlCache(cacheMs, 10_000);
  }

  /** `e164`: "+919857535678". null: Plum answered but cannot tell (or refused the number). */
  async detect(e164: string): Promise<DetectedOperator | null> {
    const cached = this.cache.get(e164);
    if (cached !== undefined) return cached;
    const result = await this.plum.read("lookupMobileNumber", { mobile_number: e164 });
    if (result.kind === "failed") throw new OperatorLookupUnavailableError();
    const detected = result.kind === "ok" ? parseOperatorLookup(result.data) : null;
    this.cache.set(e164, detected);
    return detected;
  }
}
