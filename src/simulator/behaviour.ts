// Persistent behaviour settings: unlike queued faults they hold for every request until changed or reset(), so a
// money-safety suite can run a whole scenario against a Plum that, say, never de-duplicates.
import { z } from "zod";

export interface SimBehaviour {
  /**
   * true (default): a repeated non-empty poNumber is rejected with PLE10004/422. false: it creates another order, so
   * several orders can share a poNumber (a Plum that does not enforce the uniqueness its docs promise).
   */
  deduplicatePoNumbers: boolean;
  /**
   * getOrderDetails does not see an order until this many ms after it was created (PLE10016, by orderId and by
   * poNumber alike): an eventually consistent read side. 0 (default) = visible at once.
   */
  lookupLagMs: number;
}

export const DEFAULT_BEHAVIOUR: Readonly<SimBehaviour> = { deduplicatePoNumbers: true, lookupLagMs: 0 };

// Strict, so a misspelt setting is a 400 rather than a silently ignored no-op.
const behaviourPatchSchema = z
  .object({
    deduplicatePoNumbers: z.boolean().optional(),
    lookupLagMs: z.number().nonnegative().finite().optional(),
  })
  .strict();

/** Validates a partial SimBehaviour (admin endpoint and the programmatic setter alike). */
export function parseBehaviourPatch(
  input: unknown,
): { ok: true; patch: Partial<SimBehaviour> } | { ok: false; error: string } {
  const result = behaviourPatchSchema.safeParse(input);
  if (!result.success) return { ok: false, error: z.prettifyError(result.error) };
  // Drop absent keys so spreading the patch never overwrites a setting with undefined.
  const patch: Partial<SimBehaviour> = {};
  if (result.data.deduplicatePoNumbers !== undefined) patch.deduplicatePoNumbers = result.data.deduplicatePoNumbers;
  if (result.data.lookupLagMs !== undefined) patch.lookupLagMs = result.data.lookupLagMs;
  return { ok: true, patch };
}

function checked(patch: unknown): Partial<SimBehaviour> {
  const parsed = parseBehaviourPatch(patch);
  if (!parsed.ok) throw new TypeError(`invalid simulator behaviour: ${parsed.error}`);
  return parsed.patch;
}

/** The current settings; reset() returns to the ones the simulator was created with. */
export class BehaviourSettings {
  private current: SimBehaviour;

  private readonly initial: SimBehaviour;

  /** Throws on invalid settings (e.g. a negative lag given as a SimulatorOptions field). */
  constructor(initial: SimBehaviour) {
    this.initial = { ...DEFAULT_BEHAVIOUR, ...checked(initial) };
    this.current = { ...this.initial };
  }

  get(): SimBehaviour {
    return { ...this.current };
  }

  get deduplicatePoNumbers(): boolean {
    return this.current.deduplicatePoNumbers;
  }

  get lookupLagMs(): number {
    return this.current.lookupLagMs;
  }

  /** Throws on an invalid patch (programmatic callers get the same checks as the admin endpoint). */
  update(patch: unknown): SimBehaviour {
    this.current = { ...this.current, ...checked(patch) };
    return this.get();
  }

  reset(): void {
    this.current = { ...this.initial };
  }
}
