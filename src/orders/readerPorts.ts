// What OrderReader needs from the ledger. The orders layer owns this port; storage implements it (both ledgers).
import type { PlumOrderWire } from "../plum/wire.js";
import type { CallerRowStore } from "./callerRow.js";
import type { OrderRecord } from "./orderRecord.js";

export interface OrderReadStore extends CallerRowStore {
  /** One query for any number of ids (entity batches). */
  findByOrderIds(orderIds: readonly string[]): Promise<OrderRecord[]>;
  /**
   * Caches an order learned from Plum as a PLACED row with source LOOKUP. If the poNumber or orderId is already
   * known the existing row is returned unchanged. Applies webhook events already received for it.
   */
  remember(order: {
    poNumber: string;
    orderId: string;
    order: PlumOrderWire;
    placedAt: Date | null;
  }): Promise<OrderRecord>;
}
