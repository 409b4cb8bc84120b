// A simulated world for the placement engine: one clock (the database's and Plum's time) and a scheduler that
// decides which in-flight step of which replica runs next. A crashed replica's steps never run again.
export interface Replica {
  id: string;
  dead: boolean;
}

interface Step {
  replica: Replica;
  resolve: () => void;
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
  step(replica: Replica): Promise<void> {
    if (replica.dead) return new Promise<void>(() => {});
    return new Promise<void>((resolve) => {
      this.steps.push({ replica, resolve });
    });
  }

  get pending(): number {
    return this.steps.length;
  }

  /** Runs the step `pick` chooses. */
  async runOne(pick: number): Promise<void> {
    this.steps = this.steps.filter((s) => !s.replica.dead);
    if (this.steps.length === 0) return;
    const [chosen] = this.steps.splice(pick % this.steps.length, 1);
    chosen?.resolve();
    await settle();
  }

  async advance(ms: number): Promise<void> {
    this.now += ms;
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
