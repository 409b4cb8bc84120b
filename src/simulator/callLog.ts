// Received calls: per-operation counters always, the call bodies only when recording is on.
import { RingBuffer } from "./ringBuffer.js";
import type { RecordedCall, SimOperation } from "./types.js";

const CAPACITY = 10_000;

export type CallCounts = Record<SimOperation, number>;

function zeroCounts(): CallCounts {
  return {
    placeOrder: 0,
    getOrderDetails: 0,
    getOrderHistory: 0,
    getVouchers: 0,
    lookupMobileNumber: 0,
    getBalance: 0,
    tokenRefresh: 0,
    tokenValidate: 0,
    unknown: 0,
  };
}

export class CallLog {
  private readonly buffer = new RingBuffer<RecordedCall>(CAPACITY);
  private tally = zeroCounts();

  constructor(private readonly enabled: boolean) {}

  record(operation: SimOperation, body: unknown, authorization: string | null): void {
    this.tally[operation] += 1;
    if (this.enabled) this.buffer.push({ operation, body, authorization, at: new Date() });
  }

  list(operation?: SimOperation): RecordedCall[] {
    const all = this.buffer.toArray();
    return operation === undefined ? all : all.filter((call) => call.operation === operation);
  }

  count(operation: SimOperation): number {
    return this.tally[operation];
  }

  counts(): CallCounts {
    return { ...this.tally };
  }

  reset(): void {
    this.buffer.clear();
    this.tally = zeroCounts();
  }
}
