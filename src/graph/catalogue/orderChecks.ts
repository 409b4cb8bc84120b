// The checks placement runs before anything is claimed or sent, shared with the quotes so both answer alike:
// the input rules, then the catalogue pre-flight (from the snapshot only; never waits on Plum).
import type { PreflightResult } from "../../catalogue/CatalogueService.js";
import type { OrderFailure } from "../../orders/errorCodes.js";
import type { OrderRequest } from "../../orders/toPlaceOrderData.js";
import type { GraphContext } from "../context.js";
import { validateInput } from "../validation.js";

export interface OrderChecks {
  /** INVALID_INPUT failures; when there are any, the catalogue was not consulted. */
  invalid: OrderFailure[];
  preflight: PreflightResult;
}

const UNCHECKED: PreflightResult = { checked: false, product: null, failures: [] };

export async function checkOrder(request: OrderRequest, context: GraphContext): Promise<OrderChecks> {
  const invalid = await validateInput(request.input);
  if (invalid.length > 0) return { invalid, preflight: UNCHECKED };
  const { productId, denomination, quantity } = request.input;
  try {
    const preflight = await context.catalogue.service.preflight({
      kind: request.kind,
      productId,
      denomination,
      quantity,
    });
    return { invalid, preflight };
  } catch (error) {
    // The snapshot is an optimisation: when it cannot be read, Plum decides, as before the catalogue existed.
    context.log.warn({ err: error }, "catalogue pre-flight skipped: the snapshot could not be read");
    return { invalid, preflight: UNCHECKED };
  }
}
