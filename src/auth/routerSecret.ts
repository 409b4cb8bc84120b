// Only the router may call the subgraph: it adds `Router-Authorization: <secret>`. Compared in constant time
// (hashing first makes the inputs equal-length, so length leaks nothing either).
import { createHash, timingSafeEqual } from "node:crypto";

const digest = (value: string) => createHash("sha256").update(value).digest();

export function secretMatches(presented: string | string[] | undefined, expected: string): boolean {
  if (typeof presented !== "string") return false;
  return timingSafeEqual(digest(presented), digest(expected));
}
