// A simulated world for the placement engine: one clock (the database's and Plum's time) and a scheduler that
// decides which in-flight step of which replica runs next. A crashed replica's steps never run again.
export interface Replica {
  id: string;
  dead: boolean;
}

interface Step {
  replica: Replica;
  resolve: () => void;
  /** A step that must run by this time (a request leaving its socket right after its write-ahead). */
  deadline: number | null;
}

export class World {
  now = 0;
  private steps: Step[] = [];
  private readonly base = Date.parse("2026-12-01T00:00:00Z");

  date(ms = this.now): Date {
    return new Date(this.base + ms);
  }

  ms(date: Date): number {
    return date.getTime() - this.base;
  }

  /** Suspends the caller until the scheduler runs this step; never returns for a dead replica. */
  step(replica: Replica, boundMs: number | null = null): Promise<void> {
    if (replica.dead) return new Promise<void>(() => {});
    return new Promise<void>((resolve) => {
      this.steps.push({ replica, resolve, deadline: boundMs === null ? null : this.now + boundMs });
    });
  }

  get pending(): number {
    return this.steps.length;
  }

  /** Runs one step: the overdue bounded one first, else the one `pick` chooses. */
  async runOne(pick: number): Promise<void> {
    this.steps = this.steps.filter((s) => !s.replica.dead);
    if (this.steps.length === 0) return;
    const overdue = this.steps.findIndex((s) => s.deadline !== null && s.deadline <= this.now);
    const index = overdue >= 0 ? overdue : pick % this.steps.length;
    const [chosen] = this.steps.splice(index, 1);
    chosen?.resolve();
    await settle();
  }

  /** Moves the clock, never past a bounded step's deadline (that step runs first). */
  async advance(ms: number): Promise<void> {
    const deadlines = this.steps.filter((s) => s.deadline !== null && !s.replica.dead).map((s) => s.deadline as number);
    const limit = deadlines.length > 0 ? Math.min(...deadlines) : Infinity;
    this.now = Math.max(this.now, Math.min(this.now + ms, limit));
    await settle();
  }

  kill(replica: Replica): void {
    replica.dead = true;
    this.steps = this.steps.filter((s) => s.replica !== replica);
  }
}

/** Lets every continuation that a resolved step enabled run to its next suspension. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
