// Applies the next queued fault to a request. `process` performs the operation (creating the order, rotating
// tokens, ...); faults decide whether and when it runs and whether its reply is sent.
import type { ServerResponse } from "node:http";
import { PlumErrorId } from "../plum/wire.js";
import type { SimulatorCore } from "./core.js";
import type { OtherOrderMode, SlowProcessingAnswer } from "./faults.js";
import { sendReply } from "./http.js";
import {
  businessError,
  gatewayHtmlReply,
  jsonReply,
  rateLimitReply,
  textReply,
  tokenErrorReply,
  type SimReply,
} from "./responses.js";
import type { SimOperation } from "./types.js";

const PLACE_FAILED_INFO = "Failed to place order for the client";

function statusFaultReply(status: number, body: unknown): SimReply {
  if (body === undefined) return businessError(status, PlumErrorId.placeFailed, PLACE_FAILED_INFO, "Injected fault");
  return typeof body === "string" ? textReply(status, body, "text/plain; charset=utf-8") : jsonReply(status, body);
}

/** Operation-specific answers that some faults send instead of `process`'s. */
export interface FaultAlternatives {
  /** getOrderDetails answering with another order (lookupAnswersOther). */
  readonly otherOrder?: (mode: OtherOrderMode) => SimReply;
}

/** The immediate answer of a slowProcessing request; its operation runs later either way. */
function answerSlowly(res: ServerResponse, answer: SlowProcessingAnswer): void {
  switch (answer) {
    case "timeout":
      // Never answer, as the timeout fault: the client's own deadline (or close()) ends the request.
      return;
    case "reset":
      res.destroy();
      return;
    case "502":
      // What a gateway in front of a Plum that is still busy answers.
      sendReply(res, gatewayHtmlReply(502));
      return;
  }
}

export async function respondWithFault(
  core: SimulatorCore,
  res: ServerResponse,
  operation: SimOperation,
  process: () => SimReply,
  alternatives: FaultAlternatives = {},
): Promise<void> {
  const fault = core.faults.take(operation);
  if (fault === undefined) {
    sendReply(res, process());
    return;
  }
  switch (fault.kind) {
    case "latency":
      if (await core.pause(fault.ms)) sendReply(res, process());
      return;
    case "status":
      sendReply(res, statusFaultReply(fault.status, fault.body));
      return;
    case "createdThen502":
      process();
      sendReply(
        res,
        businessError(502, PlumErrorId.placeFailed, PLACE_FAILED_INFO, "Failed to place order for the client"),
      );
      return;
    case "statusCheckFailed":
      process();
      sendReply(
        res,
        businessError(
          502,
          PlumErrorId.statusCheckFailed,
          "Failed to get order details to check status of order",
          "Failed to get order details to check status of order",
        ),
      );
      return;
    case "resetBeforeProcessing":
      res.destroy();
      return;
    case "resetAfterProcessing":
      process();
      res.destroy();
      return;
    case "timeout":
      // Never answer; close() destroys the socket.
      if (fault.processed ?? true) process();
      return;
    case "rateLimit":
      sendReply(res, rateLimitReply(fault.status ?? 429, fault.penaltySeconds ?? 60));
      return;
    case "nonJson":
      if (fault.processed ?? false) process();
      sendReply(res, gatewayHtmlReply(fault.status ?? 502));
      return;
    case "tokenError":
      sendReply(res, tokenErrorReply());
      return;
    case "slowProcessing":
      // Not tied to the socket: the operation runs after the delay even when the client disconnected long before.
      core.defer(fault.delayMs, process);
      answerSlowly(res, fault.answer ?? "timeout");
      return;
    case "lookupAnswersOther":
      sendReply(
        res,
        alternatives.otherOrder === undefined ? process() : alternatives.otherOrder(fault.mode ?? "otherPoNumber"),
      );
      return;
  }
}
