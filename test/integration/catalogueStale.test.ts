// A snapshot older than CATALOGUE_MAX_AGE_MS is not trusted to refuse orders: they go to Plum as before, and Plum's
// answer decides. (Here every snapshot is stale after 1 ms.)
import { describe, expect, it } from "vitest";
import { AirmilesProgrammesDocument } from "../__generated__/graphql.js";
import { gql } from "../support/graphqlClient.js";
import { useTestApp } from "../support/harness.js";
import { airmilesInput } from "../support/orderInputs.js";
import { placeAirmiles } from "../support/orderOperations.js";
import { placeCallsFor } from "../support/plumDirect.js";
import { ETIHAD_GUEST_PRODUCT_ID } from "../../src/simulator/index.js";

const t = useTestApp({ env: { CATALOGUE_MAX_AGE_MS: "1" } });

describe("stale catalogue snapshot", () => {
  it("sends an order the snapshot would refuse, and reports Plum's refusal", async () => {
    // The snapshot exists (reads still answer from it) but is older than the configured age.
    expect((await gql(t.url, AirmilesProgrammesDocument, {})).data?.airmilesProgrammes.length).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const input = airmilesInput({ productId: ETIHAD_GUEST_PRODUCT_ID, denomination: 30 });
    const { payload } = await placeAirmiles(t.url, input);
    expect(payload.outcome).toBe("REJECTED");
    expect(payload.errors[0]).toMatchObject({
      code: "INVALID_DENOMINATION",
      upstreamErrorId: "PLE10018",
      field: ["input", "denomination"],
    });
    expect(placeCallsFor(t.sim, input.poNumber)).toBe(1);
  });
});
