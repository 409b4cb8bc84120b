// Cache-Control for catalogue reads (Apollo Server's cache-control plugin turns the hints into the header the
// router's caching reads). Only catalogue fields give a hint; every other root field keeps the default max-age 0,
// so any operation that also reads order data or admin fields is answered `no-store`. `restrict` keeps the
// lowest hint, so one uncacheable field always wins.
import { maybeCacheControlFromInfo } from "@apollo/cache-control-types";
import type { GraphQLResolveInfo } from "graphql";
import type { GraphContext } from "../context.js";

export async function hintCatalogue(info: GraphQLResolveInfo, context: GraphContext): Promise<void> {
  const cacheControl = maybeCacheControlFromInfo(info);
  if (cacheControl === null) return;
  cacheControl.cacheHint.restrict({ maxAge: await context.catalogue.maxAgeSeconds(), scope: "PUBLIC" });
}

/** For fields that must never be cached (order data through `_entities`, admin fields). */
export function hintUncacheable(info: GraphQLResolveInfo): void {
  maybeCacheControlFromInfo(info)?.cacheHint.restrict({ maxAge: 0 });
}
