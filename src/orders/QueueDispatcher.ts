// The placement queue's dispatcher: on every replica, every interval (and at once when nudged), send the oldest
// queued rows as the shared budget allows. Each row is taken under its lease, like the reconciler's, so replicas
// never send one row twice and a crashed replica's rows are taken over once its lease expires.
import type { Logger } from "pino";
import type { PlacementService } from "./PlacementService.js";

const BATCH = 20;

export class QueueDispatcher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopping = false;

  constructor(
    private readonly placement: PlacementService,
    private readonly intervalMs: number,
    private readonly log: Logger,
    private readonly onSent: (count: number) => void = () => {},
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.runOnce(), this.intervalMs);
    this.timer.unref();
  }

  /** New rows were queued: look now rather than at the next tick. */
  nudge(): void {
    if (this.timer !== null) void this.runOnce();
  }

  /** One pass: rows in FIFO order until the queue is empty or the budget has no slot; concurrent calls share it. */
  runOnce(): Promise<void> {
    this.running ??= (async () => {
      try {
        for (;;) {
          const { sent, blocked } = await this.placement.dispatchQueued(BATCH, () => !this.stopping);
          this.onSent(sent);
          if (blocked || sent === 0 || this.stopping) break;
        }
      } catch (error) {
        this.log.error({ err: error }, "dispatcher pass failed; will retry");
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
