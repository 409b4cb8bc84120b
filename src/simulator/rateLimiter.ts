// Per-operation limits (docs/plum-api.md §6.2) with Plum's penalty: a request over the limit is refused, and so is
// every request of that operation for `penaltySeconds` after it. Plum does not document how it counts its window,
// so the simulator takes the strictest reading: at most `limit` accepted requests in ANY window (a sliding log).
// The window is configurable so tests can scale Plum's minute down.
import type { RateLimits } from "./types.js";

export interface RateLimiterOptions {
  /** Plum's minute (60 000 ms), scaled in tests. */
  windowMs?: number;
  /** How long an operation is refused after going over (Plum: 60 s). */
  penaltySeconds?: number;
}

export type RateDecision = { allowed: true } | { allowed: false; penaltySeconds: number };

export class RateLimiter {
  private readonly accepted = new Map<keyof RateLimits, number[]>();
  private readonly penaltyUntil = new Map<keyof RateLimits, number>();
  private readonly refusals = new Map<keyof RateLimits, number>();
  /** Every accepted request's time per operation, for tests that measure the observed rate. */
  private readonly history = new Map<keyof RateLimits, number[]>();
  readonly windowMs: number;
  readonly penaltySeconds: number;

  constructor(
    private readonly limits: RateLimits | null,
    options: RateLimiterOptions = {},
  ) {
    this.windowMs = options.windowMs ?? 60_000;
    this.penaltySeconds = options.penaltySeconds ?? 60;
  }

  /** Counts the request; false when it exceeds the operation's limit. */
  allow(operation: keyof RateLimits, now = Date.now()): boolean {
    return this.decide(operation, now).allowed;
  }

  decide(operation: keyof RateLimits, now = Date.now()): RateDecision {
    const limit = this.limits?.[operation];
    if (limit === undefined) {
      this.remember(operation, now);
      return { allowed: true };
    }
    const until = this.penaltyUntil.get(operation) ?? 0;
    if (until > now) return this.refuse(operation, Math.ceil((until - now) / 1000));
    const recent = (this.accepted.get(operation) ?? []).filter((at) => at > now - this.windowMs);
    this.accepted.set(operation, recent);
    if (recent.length >= limit) {
      this.penaltyUntil.set(operation, now + this.penaltySeconds * 1000);
      return this.refuse(operation, this.penaltySeconds);
    }
    recent.push(now);
    this.remember(operation, now);
    return { allowed: true };
  }

  /** Requests refused for the rate limit (over it, or during a penalty), per operation. */
  refused(operation: keyof RateLimits): number {
    return this.refusals.get(operation) ?? 0;
  }

  /** Accepted requests' times (epoch ms), oldest first. */
  acceptedAt(operation: keyof RateLimits): readonly number[] {
    return this.history.get(operation) ?? [];
  }

  /** The most requests accepted in any window (of `windowMs`) so far. */
  peak(operation: keyof RateLimits, windowMs = this.windowMs): number {
    const times = this.acceptedAt(operation);
    let best = 0;
    let start = 0;
    for (let end = 0; end < times.length; end += 1) {
      while ((times[end] as number) - (times[start] as number) >= windowMs) start += 1;
      best = Math.max(best, end - start + 1);
    }
    return best;
  }

  /** Starts a penalty now, as if a request had gone over (tests of the penalty path). */
  penalize(operation: keyof RateLimits, now = Date.now()): void {
    this.penaltyUntil.set(operation, now + this.penaltySeconds * 1000);
  }

  reset(): void {
    this.accepted.clear();
    this.penaltyUntil.clear();
    this.refusals.clear();
    this.history.clear();
  }

  private refuse(operation: keyof RateLimits, penaltySeconds: number): RateDecision {
    this.refusals.set(operation, (this.refusals.get(operation) ?? 0) + 1);
    return { allowed: false, penaltySeconds };
  }

  private remember(operation: keyof RateLimits, now: number): void {
    const times = this.history.get(operation) ?? [];
    times.push(now);
    this.history.set(operation, times);
  }
}
