// Only the router may call the subgraph: it adds `Router-Authorization: <secret>`. Compared in constant time
// (hashing first makes the inputs equal-length, so length leaks nothing either).
import { createHash, timingSafeEqual } from "node:crypto";

const digest = (value: string) => createHash("sha256").update(value).digest();

export function secretMatches(presented: string | string[] | undefined, expected: string): boolean {
  return secretMatcher(expected)(presented);
}

/** The same check with the expected secret hashed once (it runs on every request). */
export function secretMatcher(expected: string): (presented: string | string[] | undefined) => boolean {
  const expectedDigest = digest(expected);
  return (presented) => typeof presented === "string" && timingSafeEqual(digest(presented), expectedDigest);
}
