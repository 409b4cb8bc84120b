// The Plum client's gate over the shared budget. placeOrder slots are taken by the placement shell before the
// write-ahead (a send without budget is queued, not refused), so the gate only counts the other operations. A
// look-up waits a little for a slot; past that it is answered "rate limited" without leaving, which decide()
// treats as a look-up that found nothing yet (it backs off; it never counts as absence).
import type { Logger } from "pino";
import type { PlumGate } from "../../plum/gate.js";
import type { PlumOperationName } from "../../plum/wire.js";
import { budgetClass } from "./budgetClass.js";
import type { PlumBudget } from "./PlumBudget.js";

export function budgetGate(
  budget: PlumBudget,
  options: { maxWaitMs: number; log: Logger; sleep?: (ms: number) => Promise<void> },
): PlumGate {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  return {
    async admit(operation: PlumOperationName): Promise<number> {
      if (operation === "placeOrder") return 0;
      const klass = budgetClass();
      let waited = 0;
      for (;;) {
        const grant = await budget.take(operation, klass);
        if (grant.granted) return 0;
        if (waited + grant.retryAfterMs > options.maxWaitMs) return grant.retryAfterMs;
        await sleep(grant.retryAfterMs);
        waited += grant.retryAfterMs;
      }
    },
    rateLimited(operation: PlumOperationName, penaltySeconds: number): void {
      options.log.warn(
        { operation, penaltySeconds },
        "Plum answered rate limited; every replica pauses this operation",
      );
      void budget
        .penalize(operation, penaltySeconds)
        .catch((error: unknown) => options.log.error({ err: error }, "could not record Plum's penalty"));
    },
  };
}
