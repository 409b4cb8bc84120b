// An in-memory ledger with the engines' semantics (conditional writes, leases on the database's clock, the
// write-ahead's database time), reached through the simulated world so any step can be delayed or lost.
import type {
  ClaimResult,
  Lease,
  NewPlacement,
  OrderRecord,
  RecordPatch,
  WriteGuard,
} from "../../src/orders/orderRecord.js";
import type { PlacementQueueStore, PlacementStore } from "../../src/orders/placement/ports.js";
import { queueAssignment } from "../../src/storage/recordPatch.js";
import type { AttemptEntry } from "../../src/plum/exchange.js";
import type { Replica, World } from "./world.js";

export class StoreFault extends Error {}

export class ModelLedger {
  readonly rows = new Map<string, OrderRecord>();
  readonly log: AttemptEntry[] = [];
  /** Probability-free fault switch the schedule flips: the next write throws (before or after applying). */
  failNext: "none" | "before" | "after" = "none";
  readonly trace: string[] = [];

  constructor(private readonly world: World) {}

  row(poNumber: string): OrderRecord | undefined {
    return this.rows.get(poNumber);
  }

  /** What the engines do when a webhook names a pending poNumber. */
  webhook(poNumber: string, orderId: string): void {
    const row = this.rows.get(poNumber);
    if (row === undefined || row.existence !== null || !(row.state === "PENDING" || row.reopenable)) return;
    this.put({
      ...row,
      state: "PENDING",
      reopenable: false,
      existence: { source: "webhook", orderId },
      nextCheckAt: this.world.date(),
    });
  }

  /** Flags a PENDING row for an operator, as the engine does when it will not decide alone (any pending state). */
  flag(poNumber: string): void {
    const row = this.rows.get(poNumber);
    if (row?.state === "PENDING" && row.alert === null) this.put({ ...row, alert: "order_needs_operator" });
  }

  forReplica(replica: Replica): PlacementStore & PlacementQueueStore {
    const w = this.world;
    const io = async <T>(write: boolean, fn: () => T): Promise<T> => {
      await w.step(replica);
      const fault = write ? this.failNext : "none";
      if (fault !== "none") this.failNext = "none";
      if (fault === "before") throw new StoreFault("write failed");
      const result = fn();
      await w.step(replica);
      if (fault === "after") throw new StoreFault("write committed, answer lost");
      return result;
    };
    return {
      claim: (placement, lease, request) => io(true, () => this.claim(placement, lease, request)),
      acquireLease: (poNumber, lease, options) =>
        io(true, () => this.acquireLease(poNumber, lease, options?.reopen === true)),
      renewLease: (poNumber, lease) => io(true, () => this.renewLease(poNumber, lease)),
      update: (poNumber, owner, patch, release, guard) =>
        io(true, () => this.update(poNumber, owner, patch, release, guard ?? {})),
      findByPlumPoNumber: (poNumber) => io(false, () => this.copy(this.rows.get(poNumber))),
      duePending: (_now, limit) =>
        io(false, () =>
          [...this.rows.values()]
            .filter(
              (r) => r.state === "PENDING" && r.nextCheckAt !== null && r.nextCheckAt <= w.date() && !this.leased(r),
            )
            .sort((a, b) => (a.nextCheckAt?.getTime() ?? 0) - (b.nextCheckAt?.getTime() ?? 0))
            .slice(0, limit)
            .map((r) => ({ ...r, readAt: w.date() })),
        ),
      claimQueued: (placements) =>
        io(true, () => placements.map((p) => this.claim({ ...p, queued: true }, { owner: "bulk", ms: 0 }))),
      nextQueued: (limit) =>
        io(false, () =>
          this.queue()
            .filter((r) => !this.leased(r))
            .slice(0, limit)
            .map((r) => ({ ...r, readAt: w.date() })),
        ),
      queueStats: () =>
        io(false, () => ({
          depth: this.queue().length,
          oldestQueuedAt: this.queue()[0]?.queuedAt ?? null,
          now: w.date(),
        })),
      findByCallerPoNumber: (subject, poNumber) =>
        io(false, () =>
          this.copy([...this.rows.values()].find((r) => r.subject === subject && r.callerPoNumber === poNumber)),
        ),
      queuePosition: (poNumber) =>
        io(false, () => {
          const index = this.queue().findIndex((r) => r.poNumber === poNumber);
          return index < 0 ? null : index + 1;
        }),
    };
  }

  /** Queued PENDING rows in FIFO order (the engines' queued_at, then poNumber). */
  private queue(): OrderRecord[] {
    return [...this.rows.values()]
      .filter((r) => r.state === "PENDING" && r.queuedAt)
      .sort(
        (a, b) => (a.queuedAt?.getTime() ?? 0) - (b.queuedAt?.getTime() ?? 0) || a.poNumber.localeCompare(b.poNumber),
      );
  }

  private leased(row: OrderRecord): boolean {
    return row.leaseOwner !== null && row.leaseUntil !== null && row.leaseUntil >= this.world.date();
  }

  private copy(row: OrderRecord | undefined): OrderRecord | null {
    return row === undefined ? null : structuredClone({ ...row, readAt: this.world.date() });
  }

  private put(row: OrderRecord): OrderRecord {
    const stored = { ...row, version: row.version + 1, updatedAt: this.world.date(), readAt: this.world.date() };
    this.rows.set(row.poNumber, stored);
    return structuredClone(stored);
  }

  private claim(placement: NewPlacement, lease: Lease, request?: AttemptEntry): ClaimResult {
    const existing = this.rows.get(placement.poNumber);
    if (existing !== undefined)
      return { claimed: false, record: structuredClone({ ...existing, readAt: this.world.date() }) };
    const now = this.world.date();
    const until = new Date(now.getTime() + lease.ms);
    const { queued, errors, ...fields } = placement;
    const row: OrderRecord = queued
      ? {
          ...fields,
          callerPoNumber: placement.callerPoNumber ?? placement.poNumber,
          source: "PLACEMENT",
          state: "PENDING",
          orderId: null,
          order: null,
          errors: errors ?? [],
          deliveryStatus: null,
          deliveryStatusAt: null,
          sendAttempts: 0,
          sends: [{ n: 1, answer: "queued" }],
          existence: null,
          lastSentAt: null,
          lastLookupAt: null,
          nextCheckAt: null,
          queuedAt: now,
          leaseOwner: null,
          leaseUntil: null,
          alert: null,
          reopenable: false,
          version: -1,
          readAt: now,
          createdAt: now,
          updatedAt: now,
          placedAt: null,
        }
      : {
          ...fields,
          callerPoNumber: placement.callerPoNumber ?? placement.poNumber,
          source: "PLACEMENT",
          state: "PENDING",
          orderId: null,
          order: null,
          errors: [],
          deliveryStatus: null,
          deliveryStatusAt: null,
          sendAttempts: 1,
          sends: [{ n: 1, answer: "open" }],
          existence: null,
          lastSentAt: now,
          lastLookupAt: null,
          nextCheckAt: until,
          queuedAt: null,
          leaseOwner: lease.owner,
          leaseUntil: until,
          alert: null,
          reopenable: false,
          version: -1,
          readAt: now,
          createdAt: now,
          updatedAt: now,
          placedAt: null,
        };
    if (request && !queued) this.log.push(request);
    return { claimed: true, record: this.put(row) };
  }

  private acquireLease(poNumber: string, lease: Lease, reopen: boolean): OrderRecord | null {
    const row = this.rows.get(poNumber);
    if (row === undefined) return null;
    const available = row.state === "PENDING" || (reopen && row.state === "REJECTED" && row.reopenable);
    const free =
      row.leaseOwner === null ||
      (row.leaseUntil !== null && row.leaseUntil < this.world.date()) ||
      row.leaseOwner === lease.owner;
    if (!available || !free) return null;
    const until = new Date(this.world.date().getTime() + lease.ms);
    const nextCheckAt = row.state === "REJECTED" ? until : row.nextCheckAt;
    return this.put({
      ...row,
      state: "PENDING",
      reopenable: false,
      leaseOwner: lease.owner,
      leaseUntil: until,
      nextCheckAt,
    });
  }

  private renewLease(poNumber: string, lease: Lease): boolean {
    const row = this.rows.get(poNumber);
    if (row === undefined || row.leaseOwner !== lease.owner || !this.leased(row)) return false;
    this.rows.set(poNumber, { ...row, leaseUntil: new Date(this.world.date().getTime() + lease.ms) });
    return true;
  }

  private update(
    poNumber: string,
    owner: string | null,
    patch: RecordPatch,
    release: boolean,
    guard: WriteGuard,
  ): OrderRecord | null {
    this.log.push(...(patch.attempts ?? []));
    const row = this.rows.get(poNumber);
    if (row === undefined) return null;
    if (owner !== null && row.leaseOwner !== owner) return null;
    if (owner !== null && guard.live && !(row.leaseUntil !== null && row.leaseUntil >= this.world.date())) return null;
    if (guard.version !== undefined && row.version !== guard.version) return null;
    const { attempts: _attempts, startAttempt, ...fields } = patch;
    const next: OrderRecord = { ...row };
    for (const [key, value] of Object.entries(fields))
      if (value !== undefined) (next as unknown as Record<string, unknown>)[key] = value;
    if (startAttempt) next.lastSentAt = this.world.date();
    // The engines' queued_at: entered with a queued newest attempt (keeping an earlier place), left otherwise.
    const queue = queueAssignment(patch);
    if (queue === "enter") next.queuedAt = row.queuedAt ?? this.world.date();
    if (queue === "leave") next.queuedAt = null;
    this.trace.push(
      `t=${this.world.now} write ${poNumber} v${row.version} owner=${owner?.slice(0, 4)} ${JSON.stringify({ ...fields, errors: undefined, order: undefined })} start=${startAttempt ?? false}`,
    );
    if (release) {
      next.leaseOwner = null;
      next.leaseUntil = null;
    }
    return this.put(next);
  }
}
