// The slice of a ledger row the placement engine decides on, and the changes it may ask for. The orders layer owns
// these shapes; storage's OrderRecord and RecordPatch extend them.
import type { PlaceOrderData, PlumOrderWire } from "../../plum/wire.js";
import type { OrderFailure } from "../errorCodes.js";
import type { AlertReason, AttemptRecord, ExistenceProof } from "./evidence.js";

export type PlacementState = "PENDING" | "PLACED" | "REJECTED";

export interface PlacementRow {
  poNumber: string;
  state: PlacementState;
  request: PlaceOrderData | null;
  /** Every attempt, in order; the newest last. */
  sends: AttemptRecord[];
  existence: ExistenceProof | null;
  /** Database time at which the newest attempt was written ahead (before it left). */
  lastSentAt: Date | null;
  /** Database time at which the newest look-up started. */
  lastLookupAt: Date | null;
  orderId: string | null;
  order: PlumOrderWire | null;
  errors: OrderFailure[];
  alert: AlertReason | null;
  /** REJECTED rows whose every attempt is proven empty, the last one never sent: the same poNumber may be sent again. */
  reopenable: boolean;
  createdAt: Date;
}

/** What decide() asks the ledger to change. Omitted fields stay as they are. */
export interface PlacementPatch {
  state?: PlacementState;
  sends?: AttemptRecord[];
  /** Writes the write-ahead: lastSentAt becomes the database's now, in the same fenced statement. */
  startAttempt?: boolean;
  sendAttempts?: number;
  existence?: ExistenceProof | null;
  lastLookupAt?: Date | null;
  orderId?: string | null;
  order?: PlumOrderWire | null;
  errors?: OrderFailure[];
  nextCheckAt?: Date | null;
  placedAt?: Date | null;
  alert?: AlertReason | null;
  reopenable?: boolean;
}
