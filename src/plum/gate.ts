// The shared rate budget as the Plum client sees it (implemented in orders/budget/plumGate.ts): asked before a
// call leaves, told of every rate-limit answer so every replica pauses that operation.
import type { PlumOperationName } from "./wire.js";

export interface PlumGate {
  /** 0: the call may leave now (its slot is taken). Otherwise the ms until a slot opens: the call is not made. */
  admit(operation: PlumOperationName): Promise<number>;
  rateLimited(operation: PlumOperationName, penaltySeconds: number): void;
}
