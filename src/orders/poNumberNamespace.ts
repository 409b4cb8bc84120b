// Each caller's poNumbers are their own: the poNumber sent to Plum is derived from (subject, poNumber), so two
// callers can never collide at Plum nor learn whether the other used a poNumber. The derived value is written with
// the claim and every later step (retries, look-ups, webhooks, reconciliation) uses the recorded one, so changing
// the key only affects orders claimed after the change.
import { createHmac } from "node:crypto";

/** Used when PO_NUMBER_KEY is not set: the namespaces are still disjoint, only guessable from outside. */
export const DEFAULT_PO_NUMBER_KEY = "orders-subgraph/poNumber/v1";

/** Marks a derived poNumber (and its scheme version) on Plum's dashboard. */
const PREFIX = "pn1-";

/**
 * The poNumber Plum sees for `poNumber` placed by `subject`: 4 + 48 characters (192 bits of HMAC-SHA256), within
 * Plum's 100 and matching the caller-facing poNumber rule. Without a subject (auth off, development) every caller
 * shares one namespace and the poNumber is sent unchanged.
 */
export function plumPoNumber(key: string, subject: string | null, poNumber: string): string {
  if (subject === null) return poNumber;
  // Length-prefixed so ("a:b", "c") and ("a", "b:c") never hash alike.
  const digest = createHmac("sha256", key).update(`${subject.length}:${subject}:${poNumber}`).digest("hex");
  return `${PREFIX}${digest.slice(0, 48)}`;
}
