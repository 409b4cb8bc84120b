// What every resolver receives: the caller, the services, and per-request loaders.
import type DataLoader from "dataloader";
import type { Logger } from "pino";
import type { Caller } from "../auth/caller.js";
import type { OrderList } from "../orders/listing/OrderList.js";
import type { CatalogueService } from "../catalogue/CatalogueService.js";
import type { OperatorDetector } from "../catalogue/OperatorDetector.js";
import type { WalletBalanceReader } from "../catalogue/WalletBalanceReader.js";
import type { OrderReader } from "../orders/OrderReader.js";
import type { PlacementAnswer } from "../orders/placementStatus.js";
import type { ReconciliationJob } from "../orders/reconciliation/ReconciliationJob.js";
import type { ReconciliationStore } from "../orders/reconciliation/ports.js";
import type { PlacementService } from "../orders/PlacementService.js";
import type { UpstreamBudget } from "../orders/upstreamBudget.js";
import type { OrderRecord, ServedOrder } from "../orders/orderRecord.js";
import type { CatalogueReads } from "./catalogue/CatalogueReads.js";

export interface OrderServices {
  placement: PlacementService;
  reader: OrderReader;
  orderList: OrderList;
  /** The caller's row under their poNumber (their own namespace, pre-namespace rows included), or null. */
  callerRow: (subject: string | null, poNumber: string) => Promise<OrderRecord | null>;
  /** placementStatus() bound to the ledger and the placement engine's throttled look-up (charged to `budget`). */
  placementStatus: (poNumber: string, caller: Caller, budget: UpstreamBudget) => Promise<PlacementAnswer | null>;
  reconciliation: { job: ReconciliationJob; store: ReconciliationStore };
  catalogue: CatalogueServices;
  /** Bulk placement: at most `maxItems` per call; `queued` wakes the dispatcher after a bulk claim. */
  bulk: { maxItems: number; queued: () => void };
}

export interface CatalogueServices {
  service: CatalogueService;
  operators: OperatorDetector;
  balance: WalletBalanceReader;
  /** Currency of the Plum wallet, for charge estimates converted with a product's exchangeRate. */
  walletCurrency: string;
}

export interface GraphContext {
  requestId: string;
  log: Logger;
  caller: Caller;
  /** Whether JWT verification is on: decides between UNAUTHENTICATED and FORBIDDEN. */
  authEnabled: boolean;
  services: OrderServices;
  /** What this request may still spend at Plum (per-request cap and the caller's bucket). */
  upstream: UpstreamBudget;
  /** Batches `Order` look-ups by orderId within one request (entities, `order`). */
  ordersById: DataLoader<string, ServedOrder | null>;
  /** The catalogue snapshot for this request: products batched by id, the snapshot's age read once. */
  catalogue: CatalogueReads;
}
