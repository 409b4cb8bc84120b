// The catalogue snapshot on every ledger engine, driven through CatalogueService against the real simulator over
// loopback, on a simulated clock: refresh, schedule, stale snapshot, failed refresh, withdrawn products, and the
// single flight across replicas.
import pino from "pino";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CatalogueService, CatalogueUnavailableError } from "../../src/catalogue/CatalogueService.js";
import { OrderKind } from "../../src/orders/orderKind.js";
import { PlumClient } from "../../src/plum/PlumClient.js";
import { StaticTokenSource } from "../../src/plum/tokens.js";
import {
  AIRTEL_OPERATOR_ID,
  AIRTEL_TOPUP_PRODUCT_ID,
  createPlumSimulator,
  ETIHAD_GUEST_PRODUCT_ID,
  JIO_OPERATOR_ID,
  type PlumSimulator,
} from "../../src/simulator/index.js";
import type { Ledger } from "../../src/storage/ledger.js";
import { LogCapture } from "../support/logs.js";

export interface OpenedCatalogue {
  ledger: Ledger;
  /** A second replica on the same database (the same instance where the engine serves one process). */
  second: Ledger;
  cleanup: () => Promise<void>;
}

/** miles + topup operators + one plans listing per operator (2), one page each. */
const CALLS_PER_REFRESH = 4;
const SIX_HOURS = 6 * 3_600_000;
const DAY = 24 * 3_600_000;
const ON_DEMAND_MS = 300_000;

export function describeCatalogueConformance(name: string, open: () => Promise<OpenedCatalogue>): void {
  describe(`Catalogue snapshot: ${name}`, () => {
    let sim: PlumSimulator;
    let plum: PlumClient;
    let opened: OpenedCatalogue;
    let now: Date;
    let logs: LogCapture;
    const services: CatalogueService[] = [];

    beforeAll(async () => {
      sim = await createPlumSimulator({ recordCalls: true });
      plum = new PlumClient({
        apiUrl: sim.apiUrl,
        tokens: new StaticTokenSource(sim.tokens.accessToken),
        connectTimeoutMs: 1_000,
        headersTimeoutMs: 2_000,
        bodyTimeoutMs: 1_000,
        maxConnections: 4,
        record: async () => undefined,
      });
    });
    afterAll(async () => {
      await plum.close();
      await sim.close();
    });
    beforeEach(async () => {
      sim.reset();
      opened = await open();
      // 10:00 UTC = 15:30 IST: the 12:00 IST slot (06:30 UTC) is the latest.
      now = new Date("2026-12-01T10:00:00.000Z");
      logs = new LogCapture();
    });
    afterEach(async () => {
      for (const service of services.splice(0)) await service.stop();
      await opened.cleanup();
    });

    function service(
      ledger: Ledger = opened.ledger,
      owner = "replica-a",
      budget: { dailyCallBudget?: number; maxCallsPerRefresh?: number; firstSnapshotWaitMs?: number } = {},
    ): CatalogueService {
      const created = new CatalogueService({
        store: ledger.catalogue,
        plum,
        log: pino({ level: "info" }, logs),
        owner,
        refreshIntervalMs: SIX_HOURS,
        maxAgeMs: DAY,
        onDemandIntervalMs: ON_DEMAND_MS,
        now: () => now,
        sleep: async () => undefined,
        ...budget,
      });
      services.push(created);
      return created;
    }

    const advance = (ms: number): void => {
      now = new Date(now.getTime() + ms);
    };

    it("a refresh stores every programme, operator and plan, and says when", async () => {
      const catalogue = service();
      expect(await catalogue.refreshIfDue()).toBe("success");
      expect(sim.count("getVouchers")).toBe(CALLS_PER_REFRESH);
      expect((await catalogue.meta()).refreshedAt).toEqual(now);
      const found = await catalogue.findProducts([
        ETIHAD_GUEST_PRODUCT_ID,
        AIRTEL_OPERATOR_ID,
        AIRTEL_TOPUP_PRODUCT_ID,
      ]);
      expect(found.get(ETIHAD_GUEST_PRODUCT_ID)).toMatchObject({
        kind: OrderKind.AIRMILES,
        role: "product",
        denominations: [25, 50, 100],
        active: true,
      });
      expect(found.get(AIRTEL_OPERATOR_ID)).toMatchObject({ kind: OrderKind.TOPUP, role: "operator", name: "Airtel" });
      expect(found.get(AIRTEL_TOPUP_PRODUCT_ID)).toMatchObject({
        role: "product",
        parentProductId: AIRTEL_OPERATOR_ID,
        exchangeRate: 0.012,
      });
      const operators = await catalogue.list({ kind: OrderKind.TOPUP, role: "operator", countryCode: "in" });
      expect(operators.map((o) => o.productId)).toEqual([AIRTEL_OPERATOR_ID, JIO_OPERATOR_ID]);
      const plans = await catalogue.list({
        kind: OrderKind.TOPUP,
        role: "product",
        parentProductId: AIRTEL_OPERATOR_ID,
      });
      expect(plans.map((p) => p.productId)).toEqual([AIRTEL_TOPUP_PRODUCT_ID]);
    });

    it("refreshes once per scheduled slot (00:00, 06:00, 12:00, 18:00 IST)", async () => {
      const catalogue = service();
      expect(await catalogue.refreshIfDue()).toBe("success");
      advance(2 * 3_600_000); // 17:30 IST: still the 12:00 slot
      expect(await catalogue.refreshIfDue()).toBe("skipped");
      expect(sim.count("getVouchers")).toBe(CALLS_PER_REFRESH);
      advance(3_600_000); // 18:30 IST: the 18:00 slot is due
      expect(await catalogue.refreshIfDue()).toBe("success");
      expect(sim.count("getVouchers")).toBe(2 * CALLS_PER_REFRESH);
    });

    it("a failed refresh keeps the last snapshot, logs an alert without Plum's text, and is retried later", async () => {
      const catalogue = service();
      expect(await catalogue.refreshIfDue()).toBe("success");
      const refreshedAt = (await catalogue.meta()).refreshedAt;
      advance(SIX_HOURS);
      sim.inject({
        kind: "status",
        status: 502,
        operation: "getVouchers",
        body: { errorId: "PLE10025", error: "secret upstream detail" },
      });
      expect(await catalogue.refreshIfDue()).toBe("failure");
      const meta = await catalogue.meta();
      expect(meta.refreshedAt).toEqual(refreshedAt);
      expect(meta.lastFailureAt).toEqual(now);
      expect((await catalogue.findProducts([ETIHAD_GUEST_PRODUCT_ID])).get(ETIHAD_GUEST_PRODUCT_ID)?.active).toBe(true);
      const alert = logs.records().find((r) => r["alert"] === "catalogue_refresh_failed");
      expect(alert).toMatchObject({ level: 50, reason: "scheduled" });
      expect(logs.text).not.toContain("secret upstream detail");
      // Not retried at once (Plum's 50/min and 500/day), but after the on-demand interval.
      expect(await catalogue.refreshIfDue()).toBe("skipped");
      advance(ON_DEMAND_MS + 1);
      expect(await catalogue.refreshIfDue()).toBe("success");
    });

    it("a snapshot older than the maximum age does not judge orders", async () => {
      const catalogue = service();
      await catalogue.refreshIfDue();
      const order = { kind: OrderKind.AIRMILES, productId: ETIHAD_GUEST_PRODUCT_ID, denomination: 30, quantity: 1 };
      expect(await catalogue.preflight(order)).toMatchObject({
        checked: true,
        failures: [{ code: "INVALID_DENOMINATION" }],
      });
      sim.inject({ kind: "status", status: 503, operation: "getVouchers", times: 100 });
      advance(DAY + 1);
      expect(await catalogue.preflight(order)).toMatchObject({ checked: false, failures: [] });
    });

    it("a product the catalogue withdrew stays known, inactive, and is refused", async () => {
      const catalogue = service();
      await catalogue.refreshIfDue();
      sim.setCatalogue({ unlistedProductIds: [ETIHAD_GUEST_PRODUCT_ID] });
      expect(await catalogue.refreshNow()).toBe("success");
      expect((await catalogue.findProducts([ETIHAD_GUEST_PRODUCT_ID])).get(ETIHAD_GUEST_PRODUCT_ID)?.active).toBe(
        false,
      );
      const programmes = await catalogue.list({ kind: OrderKind.AIRMILES, role: "product" });
      expect(programmes.map((p) => p.productId)).not.toContain(ETIHAD_GUEST_PRODUCT_ID);
      const order = { kind: OrderKind.AIRMILES, productId: ETIHAD_GUEST_PRODUCT_ID, denomination: 50, quantity: 1 };
      expect((await catalogue.preflight(order)).failures).toMatchObject([
        { code: "PRODUCT_UNAVAILABLE", field: ["input", "productId"] },
      ]);
    });

    it("an unknown product refreshes on demand, at most once per interval across replicas, without waiting", async () => {
      const catalogue = service();
      await catalogue.refreshIfDue();
      const unknown = { kind: OrderKind.AIRMILES, productId: 777_777, denomination: 50, quantity: 1 };
      // Right after a refresh: no new one.
      expect(await catalogue.preflight(unknown)).toMatchObject({ checked: false });
      await catalogue.stop();
      expect(sim.count("getVouchers")).toBe(CALLS_PER_REFRESH);
      advance(ON_DEMAND_MS + 1);
      expect(await catalogue.preflight(unknown)).toMatchObject({ checked: false });
      await service(opened.second, "replica-b").preflight(unknown);
      for (const s of services) await s.stop();
      expect(sim.count("getVouchers")).toBe(2 * CALLS_PER_REFRESH);
    });

    it("two replicas that find the catalogue due at once refresh it once", async () => {
      const a = service(opened.ledger, "replica-a");
      const b = service(opened.second, "replica-b");
      const outcomes = await Promise.all([a.refreshIfDue(), b.refreshIfDue()]);
      expect(outcomes.sort()).toEqual(["skipped", "success"]);
      expect(sim.count("getVouchers")).toBe(CALLS_PER_REFRESH);
      expect(await b.refreshIfDue()).toBe("skipped");
      expect((await b.findProducts([ETIHAD_GUEST_PRODUCT_ID])).size).toBe(1);
    });

    it("a lease left by a crashed replica blocks others until it expires; its late commit is refused", async () => {
      const store = opened.ledger.catalogue;
      const due = {
        refreshedBefore: null,
        attemptedBefore: new Date(now.getTime() + 1),
        budget: { day: "2026-12-01", maxUsed: 500 },
      };
      expect(await store.beginRefresh("crashed", 60_000, due, now)).toBe(true);
      advance(1);
      const catalogue = service(opened.second, "replica-b");
      expect(await catalogue.refreshNow()).toBe("skipped");
      advance(60_000);
      expect(await catalogue.refreshNow()).toBe("success");
      expect(await store.commitRefresh("crashed", [], now, { day: "2026-12-01", calls: 4 })).toBe(false);
      expect((await catalogue.findProducts([ETIHAD_GUEST_PRODUCT_ID])).get(ETIHAD_GUEST_PRODUCT_ID)?.active).toBe(true);
    });

    it("keeps getVouchers' daily budget across replicas, failed calls included, leaving room for the schedule", async () => {
      const budget = { dailyCallBudget: 13, maxCallsPerRefresh: CALLS_PER_REFRESH };
      const a = service(opened.ledger, "replica-a", budget);
      const b = service(opened.second, "replica-b", budget);
      sim.inject({ kind: "status", status: 502, operation: "getVouchers" });
      expect(await a.refreshIfDue()).toBe("failure"); // 1 call, counted
      advance(ON_DEMAND_MS + 1);
      expect(await a.refreshIfDue()).toBe("success"); // 5 used today
      expect(await a.meta()).toMatchObject({
        budgetDay: "2026-12-01",
        budgetCalls: 1 + CALLS_PER_REFRESH,
        lastRefreshCalls: CALLS_PER_REFRESH,
      });
      // 10:05 UTC: two scheduled slots are left today (12:30, 18:30 UTC), 8 calls reserved for them: no room.
      const unknown = { kind: OrderKind.AIRMILES, productId: 777_777, denomination: 50, quantity: 1 };
      advance(ON_DEMAND_MS + 1);
      await b.preflight(unknown);
      await b.stop();
      expect(sim.count("getVouchers")).toBe(1 + CALLS_PER_REFRESH);
      expect(await b.refreshNow()).toBe("skipped");
      // The scheduled refreshes still fit: 12:30 and 18:30 UTC.
      advance(2.5 * 3_600_000);
      expect(await b.refreshIfDue()).toBe("success");
      advance(SIX_HOURS);
      expect(await a.refreshIfDue()).toBe("success");
      expect((await a.meta()).budgetCalls).toBe(1 + 3 * CALLS_PER_REFRESH);
      // A new UTC day starts from zero.
      advance(SIX_HOURS);
      expect(await a.refreshIfDue()).toBe("success");
      expect(await a.meta()).toMatchObject({ budgetDay: "2026-12-02", budgetCalls: CALLS_PER_REFRESH });
    });

    it("a read waits for a slow first snapshot only briefly; the refresh goes on and later reads find it", async () => {
      sim.inject({ kind: "latency", ms: 300, operation: "getVouchers" });
      const catalogue = service(opened.ledger, "replica-a", { firstSnapshotWaitMs: 20 });
      const started = performance.now();
      await expect(catalogue.list({ kind: OrderKind.AIRMILES, role: "product" })).rejects.toBeInstanceOf(
        CatalogueUnavailableError,
      );
      expect(performance.now() - started).toBeLessThan(250);
      await catalogue.stop(); // the refresh it started completes
      expect((await catalogue.list({ kind: OrderKind.AIRMILES, role: "product" })).length).toBeGreaterThan(0);
    });

    it("without any snapshot a read waits for the first refresh, and fails cleanly when Plum cannot give one", async () => {
      sim.inject({ kind: "status", status: 503, operation: "getVouchers" });
      const catalogue = service();
      await expect(catalogue.findProducts([ETIHAD_GUEST_PRODUCT_ID])).rejects.toBeInstanceOf(CatalogueUnavailableError);
      advance(ON_DEMAND_MS + 1);
      expect((await catalogue.findProducts([ETIHAD_GUEST_PRODUCT_ID])).size).toBe(1);
    });
  });
}
