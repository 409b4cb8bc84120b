// The CI-sized chaos run (npm run chaos runs the full one): 300 placements over 2 replicas on PostgreSQL, random
// upstream faults, no poNumber de-duplication at Plum, and a replica SIGKILLed and restarted every 2.5 s.
import { afterAll, describe, expect, it } from "vitest";
import { stopAllServices } from "../support/serviceProcess.js";
import { runChaos } from "./runChaos.js";

afterAll(() => stopAllServices());

describe("chaos: replicas killed while a hostile Plum answers", () => {
  it("ends with exactly one order per poNumber told PLACED/REPLAYED/PENDING, none for a final REJECTED, nothing PENDING", async () => {
    const seed = Number(process.env["CHAOS_SEED"] ?? Date.now() % 1_000_000);
    const report = await runChaos({
      placements: 300,
      replicas: 2,
      killEveryMs: 2_500,
      concurrency: 16,
      faultRate: 0.3,
      seed,
    });
    console.log(`chaos (CHAOS_SEED=${seed}): ${JSON.stringify(report)}`);
    expect(report.violations).toEqual([]);
    // The run must have exercised what it claims to.
    expect(report.kills).toBeGreaterThan(0);
    expect(report.faultsInjected).toBeGreaterThan(0);
    expect(report.told["PENDING"] ?? 0).toBeGreaterThan(0);
    expect(report.upstreamOrders).toBeGreaterThan(200);
  }, 120_000);
});
