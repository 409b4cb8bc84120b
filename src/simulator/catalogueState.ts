// The simulator's catalogue settings: products withdrawn from the listing (getVouchers no longer offers them) and
// which documented lookupMobileNumber answer shape it sends (docs/plum-api.md §4.7: page text vs spec example).
import { z } from "zod";

export type LookupShape = "text" | "spec";

export interface SimCatalogueSettings {
  unlistedProductIds: number[];
  lookupShape: LookupShape;
}

const patchSchema = z
  .object({
    unlistedProductIds: z.array(z.number().int().positive()).optional(),
    lookupShape: z.enum(["text", "spec"]).optional(),
  })
  .strict();

/** Validates a settings patch received over HTTP (POST /__simulator/catalogue). */
export function parseCataloguePatch(
  input: unknown,
): { ok: true; patch: Partial<SimCatalogueSettings> } | { ok: false; error: string } {
  const result = patchSchema.safeParse(input);
  if (!result.success) return { ok: false, error: z.prettifyError(result.error) };
  const patch: Partial<SimCatalogueSettings> = {};
  if (result.data.unlistedProductIds !== undefined) patch.unlistedProductIds = result.data.unlistedProductIds;
  if (result.data.lookupShape !== undefined) patch.lookupShape = result.data.lookupShape;
  return { ok: true, patch };
}

const DEFAULTS: SimCatalogueSettings = { unlistedProductIds: [], lookupShape: "text" };

export class CatalogueState {
  private current: SimCatalogueSettings = { ...DEFAULTS };

  get(): SimCatalogueSettings {
    return { unlistedProductIds: [...this.current.unlistedProductIds], lookupShape: this.current.lookupShape };
  }

  update(patch: Partial<SimCatalogueSettings>): SimCatalogueSettings {
    this.current = { ...this.current, ...patch };
    return this.get();
  }

  isListed(productId: number): boolean {
    return !this.current.unlistedProductIds.includes(productId);
  }

  reset(): void {
    this.current = { ...DEFAULTS };
  }
}
