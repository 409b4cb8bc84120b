// The JSON a catalogue row keeps: the parsed entry without the columns stored beside it.
import type { CatalogueProduct } from "../catalogue/product.js";

export function catalogueData(product: CatalogueProduct): string {
  const { active: _active, ...data } = product;
  return JSON.stringify(data);
}

export function fromCatalogueData(data: unknown, active: boolean): CatalogueProduct {
  const parsed = (typeof data === "string" ? JSON.parse(data) : data) as Omit<CatalogueProduct, "active">;
  return { ...parsed, active };
}
