// The background reconciler: every interval, settle the PENDING rows that are due (lease-protected, so any
// replica may run it and a crashed replica's rows are picked up once their lease expires).
import type { Logger } from "pino";
import type { PlacementService } from "./PlacementService.js";

const BATCH = 50;

export class ReconcilerLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopping = false;

  constructor(
    private readonly placement: PlacementService,
    private readonly intervalMs: number,
    private readonly log: Logger,
    private readonly onSettled: (count: number) => void = () => {},
    /** Runs each pass in a context (the reconciliation share of the Plum budget). */
    private readonly within: (fn: () => Promise<void>) => Promise<void> = (fn) => fn(),
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.runOnce(), this.intervalMs);
    this.timer.unref();
  }

  /** One pass; concurrent calls share the pass in progress. */
  runOnce(): Promise<void> {
    this.running ??= this.within(async () => {
      try {
        let settled: number;
        do {
          settled = await this.placement.reconcileDue(BATCH, () => !this.stopping);
          this.onSettled(settled);
        } while (settled === BATCH && this.timer !== null && !this.stopping);
      } catch (error) {
        this.log.error({ err: error }, "reconciler pass failed; will retry");
      } finally {
        this.running = null;
      }
    });
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
