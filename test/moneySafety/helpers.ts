// Helpers for the money-safety regression tests (issueCases.test.ts): counting what reached the simulator per
// poNumber, a placement engine built by hand around a real ledger and a real Plum client, and a ledger wrapper that
// fails or stalls chosen writes.
import { setTimeout as sleep } from "node:timers/promises";
import pino from "pino";
import { OrderKind } from "../../src/orders/orderKind.js";
import type {
  ClaimResult,
  Lease,
  NewPlacement,
  OrderRecord,
  RecordPatch,
  WriteGuard,
} from "../../src/orders/orderRecord.js";
import type { PlacementPolicy } from "../../src/orders/placement/evidence.js";
import type { PlacementStore } from "../../src/orders/placement/ports.js";
import { PlacementService } from "../../src/orders/PlacementService.js";
import type { OrderRequest } from "../../src/orders/toPlaceOrderData.js";
import type { AttemptEntry } from "../../src/plum/exchange.js";
import { PlumClient } from "../../src/plum/PlumClient.js";
import { StaticTokenSource } from "../../src/plum/tokens.js";
import type { PlumSimulator } from "../../src/simulator/index.js";
import type { Ledger } from "../../src/storage/ledger.js";
import { PlaceAirmilesOrderStatusDocument, type PlaceAirmilesOrderInput } from "../__generated__/graphql.js";
import { gql } from "../support/graphqlClient.js";
import { placeCallsFor as placeCalls } from "../support/plumDirect.js";
import { LogCapture } from "../support/logs.js";

export { placeCallsFor, simOrdersFor } from "../support/plumDirect.js";

interface CallData {
  orderId?: unknown;
  poNumber?: unknown;
}

function callData(body: unknown): CallData {
  const data = (body as { variables?: { data?: CallData } } | null)?.variables?.data;
  return data ?? {};
}

/** getOrderDetails requests that reached the simulator for this poNumber (by poNumber, or by one of `orderIds`). */
export function lookupCallsFor(sim: PlumSimulator, poNumber: string, orderIds: readonly string[] = []): number {
  return sim.calls("getOrderDetails").filter((call) => {
    const data = callData(call.body);
    if (data.poNumber === poNumber) return true;
    return data.orderId !== null && data.orderId !== undefined && orderIds.includes(String(data.orderId));
  }).length;
}

/** The orderIds the getOrderDetails requests for this order asked for (null: asked by poNumber). */
export function lookupTargets(sim: PlumSimulator, poNumber: string, orderIds: readonly string[]): (string | null)[] {
  return sim
    .calls("getOrderDetails")
    .map((call) => callData(call.body))
    .filter((data) => data.poNumber === poNumber || (data.orderId != null && orderIds.includes(String(data.orderId))))
    .map((data) =>
      data.orderId === null || data.orderId === undefined || data.orderId === "" ? null : String(data.orderId),
    );
}

/** Runs `step` every `intervalMs` until `durationMs` have passed since `from` (at least once). */
export async function repeatUntil(
  from: number,
  durationMs: number,
  intervalMs: number,
  step: () => Promise<void>,
): Promise<number> {
  let runs = 0;
  do {
    await step();
    runs += 1;
    await sleep(intervalMs);
  } while (Date.now() - from < durationMs);
  return runs;
}

/** The domain request the GraphQL layer would build from an airmiles input. */
export function airmilesRequest(input: PlaceAirmilesOrderInput): OrderRequest {
  return {
    kind: OrderKind.AIRMILES,
    input: {
      productId: input.productId,
      quantity: input.quantity ?? 1,
      denomination: input.denomination,
      email: input.email,
      poNumber: input.poNumber,
      notifyReceiverEmail: input.notifyReceiverEmail ?? false,
      notifyAdminEmail: input.notifyAdminEmail ?? false,
      userMeta: { loyaltyMemberId: input.userMeta.loyaltyMemberId },
      ...(input.contact ? { contact: input.contact } : {}),
      ...(input.tag ? { tag: input.tag } : {}),
    },
  };
}

/**
 * A PlacementStore over a real ledger whose writes can be made to fail or stall:
 * - `failUpdatesAfterNextWriteAhead(n)`: once the next write-ahead has committed (a claim that claimed, or an update
 *   with `startAttempt`), the following `n` update calls throw without touching the database.
 * - `beforeNextWriteAhead(hook)`: the next update with `startAttempt` first awaits `hook` (e.g. until the lease has
 *   expired and another owner took the row).
 */
export class FlakyStore implements PlacementStore {
  private armAfterWriteAhead = 0;
  private failing = 0;
  private hook: (() => Promise<void>) | null = null;
  /** Updates that threw because of this wrapper. */
  failedUpdates = 0;
  /** Updates that carried a write-ahead (startAttempt), applied or not. */
  writeAheads: { applied: boolean }[] = [];

  constructor(readonly ledger: Ledger) {}

  failUpdatesAfterNextWriteAhead(n: number): void {
    this.armAfterWriteAhead = n;
  }

  beforeNextWriteAhead(hook: () => Promise<void>): void {
    this.hook = hook;
  }

  async claim(placement: NewPlacement, lease: Lease, request?: AttemptEntry): Promise<ClaimResult> {
    const result = await this.ledger.claim(placement, lease, request);
    if (result.claimed) this.arm();
    return result;
  }

  acquireLease(poNumber: string, lease: Lease, options?: { reopen?: boolean }): Promise<OrderRecord | null> {
    return this.ledger.acquireLease(poNumber, lease, options);
  }

  renewLease(poNumber: string, lease: Lease): Promise<boolean> {
    return this.ledger.renewLease(poNumber, lease);
  }

  async update(
    poNumber: string,
    owner: string | null,
    patch: RecordPatch,
    release: boolean,
    guard?: WriteGuard,
  ): Promise<OrderRecord | null> {
    if (patch.startAttempt) {
      const hook = this.hook;
      this.hook = null;
      if (hook !== null) await hook();
      const written = await this.ledger.update(poNumber, owner, patch, release, guard);
      this.writeAheads.push({ applied: written !== null });
      if (written !== null) this.arm();
      return written;
    }
    if (this.failing > 0) {
      this.failing -= 1;
      this.failedUpdates += 1;
      throw new Error("injected ledger write failure");
    }
    return this.ledger.update(poNumber, owner, patch, release, guard);
  }

  findByPlumPoNumber(poNumber: string): Promise<OrderRecord | null> {
    return this.ledger.findByPlumPoNumber(poNumber);
  }

  duePending(now: Date | null, limit: number): Promise<OrderRecord[]> {
    return this.ledger.duePending(now, limit);
  }

  private arm(): void {
    if (this.armAfterWriteAhead > 0) {
      this.failing = this.armAfterWriteAhead;
      this.armAfterWriteAhead = 0;
    }
  }
}

export interface DirectEngine {
  service: PlacementService;
  store: FlakyStore;
  client: PlumClient;
  logs: LogCapture;
  close(): Promise<void>;
}

/** The test harness's policy (test/support/harness.ts): "not found" is trusted 100 + 300 ms after an attempt. */
export const HARNESS_POLICY: PlacementPolicy = {
  settleMs: 300,
  maxProcessingMs: 100,
  lookupIntervalMs: 50,
  maxBackoffMs: 600_000,
  maxSendAttempts: 3,
};

/**
 * A PlacementService wired the way src/server/app.ts wires it (the Plum port is a real PlumClient's exchange calls
 * against `sim`), over `ledger` wrapped in a FlakyStore.
 */
export function directEngine(
  ledger: Ledger,
  sim: PlumSimulator,
  options: {
    replicaId?: string;
    leaseMs?: number;
    policy?: Partial<PlacementPolicy>;
    writeRetryDelaysMs?: number[];
  } = {},
): DirectEngine {
  const logs = new LogCapture();
  const client = new PlumClient({
    apiUrl: sim.apiUrl,
    tokens: new StaticTokenSource(sim.tokens.accessToken),
    connectTimeoutMs: 1_000,
    headersTimeoutMs: 1_500,
    bodyTimeoutMs: 1_000,
    maxConnections: 4,
    record: (entry) => ledger.appendAttempt(entry),
  });
  const store = new FlakyStore(ledger);
  const service = new PlacementService({
    store,
    plum: {
      placeOrder: (data, requestOnRecord) => client.exchangePlaceOrder(data, requestOnRecord),
      getOrderDetails: (lookup) => client.exchangeOrderDetails(lookup),
    },
    log: pino({ level: "info" }, logs),
    replicaId: options.replicaId ?? "direct",
    policy: { ...HARNESS_POLICY, ...options.policy },
    leaseMs: options.leaseMs ?? 1_000,
    writeRetryDelaysMs: options.writeRetryDelaysMs ?? [1, 1],
  });
  return { service, store, client, logs, close: () => client.close() };
}

/**
 * Places `input` through the service at `url` with a latency fault holding its placeOrder at Plum, and resolves
 * once the request has reached Plum (so the process can be killed mid-exchange). `mutation` settles when the
 * caller's HTTP exchange ends: answered, or failed because the process died.
 */
export async function placeHeldAtPlum(
  url: string,
  plum: PlumSimulator,
  input: PlaceAirmilesOrderInput,
  holdMs: number,
): Promise<{ mutation: Promise<{ answered: unknown } | { failed: unknown }> }> {
  plum.inject({ kind: "latency", ms: holdMs, operation: "placeOrder" });
  const mutation = gql(url, PlaceAirmilesOrderStatusDocument, { input }).then(
    (response) => ({ answered: response }),
    (error: unknown) => ({ failed: error }),
  );
  const deadline = Date.now() + 10_000;
  while (placeCalls(plum, input.poNumber) !== 1) {
    if (Date.now() > deadline) throw new Error("the placeOrder never reached Plum");
    await sleep(5);
  }
  return { mutation };
}
