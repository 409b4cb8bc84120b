// The unknown-outcome fault matrix, written once: every way the simulator can leave a placement's outcome unknown.
// test/integration/unknownOutcome.test.ts runs each case through the GraphQL payloads a client sees;
// test/ledger/unknownOutcome.test.ts runs each through the ledger rows and the attempt log.
import type { FaultSpec } from "../../src/simulator/index.js";

export interface UnknownOutcomeCase {
  name: string;
  fault: FaultSpec;
  /** Whether the faulted attempt created the order at Plum. */
  created: boolean;
  /** The Plum error id the client is shown with OUTCOME_UNKNOWN (null: the answer carried none). */
  upstreamErrorId: string | null;
  /**
   * How the GraphQL-level test settles it (varied across cases); the ledger-level test runs both the retry and the
   * reconciler for every case. `orderByPoNumber` only looks up, so it settles only an order that was created.
   */
  settleBy: "retry" | "orderByPoNumber" | "reconciler";
}

export const UNKNOWN_OUTCOME_CASES: readonly UnknownOutcomeCase[] = [
  {
    name: "503 PLE10025 without creation",
    fault: { kind: "status", status: 503 },
    created: false,
    upstreamErrorId: "PLE10025",
    settleBy: "retry",
  },
  {
    name: "502 PLE10025 without creation",
    fault: { kind: "status", status: 502 },
    created: false,
    upstreamErrorId: "PLE10025",
    settleBy: "reconciler",
  },
  {
    name: "created, then 502 PLE10025",
    fault: { kind: "createdThen502" },
    created: true,
    upstreamErrorId: "PLE10025",
    settleBy: "orderByPoNumber",
  },
  {
    name: "created, then 502 PLE10035 (status check failed)",
    fault: { kind: "statusCheckFailed" },
    created: true,
    upstreamErrorId: "PLE10035",
    settleBy: "reconciler",
  },
  {
    name: "created, then the connection reset",
    fault: { kind: "resetAfterProcessing" },
    created: true,
    upstreamErrorId: null,
    settleBy: "retry",
  },
  {
    name: "not created, the connection reset",
    fault: { kind: "resetBeforeProcessing" },
    created: false,
    upstreamErrorId: null,
    settleBy: "retry",
  },
  {
    name: "created, then no answer (timeout)",
    fault: { kind: "timeout", processed: true },
    created: true,
    upstreamErrorId: null,
    settleBy: "reconciler",
  },
  {
    name: "not created, no answer (timeout)",
    fault: { kind: "timeout", processed: false },
    created: false,
    upstreamErrorId: null,
    settleBy: "retry",
  },
  {
    name: "created, then a non-JSON 502 gateway page",
    fault: { kind: "nonJson", status: 502, processed: true },
    created: true,
    upstreamErrorId: null,
    settleBy: "orderByPoNumber",
  },
  {
    name: "not created, a non-JSON 502 gateway page",
    fault: { kind: "nonJson", status: 502, processed: false },
    created: false,
    upstreamErrorId: null,
    settleBy: "reconciler",
  },
  {
    name: "created, then an HTML 200",
    fault: { kind: "nonJson", status: 200, processed: true },
    created: true,
    upstreamErrorId: null,
    settleBy: "retry",
  },
];
