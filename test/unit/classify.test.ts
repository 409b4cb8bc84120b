// Classification of Plum's answers (docs/plum-api.md §2): what each documented shape means for the money. "rejected",
// "rateLimited", "unauthorized" and "notSent" promise nothing was placed; "unknown" is anything that might hide an
// order, and must never be read as a rejection.
import { describe, expect, it } from "vitest";
import { classifyResponse, classifyTransportError, errorCodeOf } from "../../src/plum/classify.js";
import type { PlumCallResult } from "../../src/plum/result.js";

const PLACE = "placeOrder";

function classify(status: number, body: unknown, operation = PLACE): PlumCallResult {
  return classifyResponse(operation, status, typeof body === "string" ? body : JSON.stringify(body));
}

function shapeB(code: number, errorId: string, errorInfo = "info", error = "detail") {
  return { code, errorId, errorInfo, error };
}

describe("success", () => {
  it("is ok for status 1 with order data", () => {
    const order = { orderId: 98765432, orderStatus: "complete" };
    expect(classify(200, { data: { placeOrder: { status: 1, data: order } } })).toEqual({
      kind: "ok",
      httpStatus: 200,
      order,
    });
  });

  it("accepts status as a numeric string", () => {
    expect(classify(200, { data: { placeOrder: { status: "1", data: { orderId: "1" } } } }).kind).toBe("ok");
  });

  it("reads the envelope of the operation that was called", () => {
    const body = { data: { getOrderDetails: { status: 1, data: { orderId: 1 } } } };
    expect(classify(200, body, "getOrderDetails").kind).toBe("ok");
    // The right shape under another operation's name is not an answer to this call.
    expect(classify(200, body, PLACE)).toEqual({ kind: "unknown", httpStatus: 200, errorId: null, errorCode: null });
  });
});

describe("2xx without a confirmed order", () => {
  it.each([0, 2, "0"])(
    "is a rejection when status is %j (a readable status other than 1 is a failure Plum reported)",
    (status) => {
      expect(classify(200, { data: { placeOrder: { status, data: null } } })).toEqual({
        kind: "rejected",
        httpStatus: 200,
        errorId: null,
        operatorValidation: false,
      });
    },
  );

  it.each([null, "x", undefined])(
    "is unknown when status is %j (no readable status: the order may exist)",
    (status) => {
      expect(classify(200, { data: { placeOrder: { status, data: null } } })).toEqual({
        kind: "unknown",
        httpStatus: 200,
        errorId: null,
        errorCode: null,
      });
    },
  );

  it("is unknown when status is 1 but there is no order data (success without the order may hide one)", () => {
    expect(classify(200, { data: { placeOrder: { status: 1 } } }).kind).toBe("unknown");
  });

  it.each([
    ["an empty object", {}],
    ["data without the operation", { data: {} }],
    ["a null operation", { data: { placeOrder: null } }],
  ])("is unknown for %s", (_label, body) => {
    expect(classify(200, body)).toEqual({ kind: "unknown", httpStatus: 200, errorId: null, errorCode: null });
  });

  it("is unknown for PLE10035 even on a 2xx", () => {
    expect(classify(200, shapeB(200, "PLE10035"))).toMatchObject({ kind: "unknown", errorId: "PLE10035" });
  });
});

describe("shape A (OAuth)", () => {
  it("is a renewable unauthorized for invalid_token", () => {
    expect(classify(401, { error: "invalid_token", error_description: "invalid/expired token" })).toEqual({
      kind: "unauthorized",
      httpStatus: 401,
      renewable: true,
    });
  });

  it.each([
    [401, "invalid_request"],
    [400, "invalid_request"],
    [403, "unauthorized_client"],
  ])("is a non-renewable unauthorized for %d %s", (status, error) => {
    expect(classify(status, { error, error_description: "missing/invalid parameters authorization header" })).toEqual({
      kind: "unauthorized",
      httpStatus: status,
      renewable: false,
    });
  });
});

describe("shape B (business errors)", () => {
  it.each([
    [400, "PLE10018"],
    [404, "PLE10042"],
    [409, "PLE10041"],
    [422, "PLE10010"],
    [404, "PLE10036"],
    [400, "PLE10014"],
  ])("is a rejection carrying the errorId for %d %s", (status, errorId) => {
    expect(classify(status, shapeB(status, errorId))).toEqual({
      kind: "rejected",
      httpStatus: status,
      errorId,
      operatorValidation: false,
    });
  });

  it("is a rejection for a business errorId on 401/403 (an application answer, not the auth layer)", () => {
    expect(classify(401, shapeB(401, "PLE10019", "International orders not allowed"))).toMatchObject({
      kind: "rejected",
      errorId: "PLE10019",
    });
    expect(classify(403, shapeB(403, "PLE10015", "Amazon KYC is not approved"))).toMatchObject({
      kind: "rejected",
      errorId: "PLE10015",
    });
  });

  it("flags an operator-validation failure (PLE10001 naming the operator)", () => {
    const body = shapeB(
      400,
      "PLE10001",
      "Validation error in place order",
      "Operator validation failed: not an Airtel number",
    );
    expect(classify(400, body)).toEqual({
      kind: "rejected",
      httpStatus: 400,
      errorId: "PLE10001",
      operatorValidation: true,
    });
  });

  it("does not flag other PLE10001 validation errors, nor 'operator' under another errorId", () => {
    expect(
      classify(400, shapeB(400, "PLE10001", "Validation error in place order", '"email" must be a valid email')),
    ).toMatchObject({
      operatorValidation: false,
    });
    expect(classify(404, shapeB(404, "PLE10042", "Product not activated", "operator product"))).toMatchObject({
      operatorValidation: false,
    });
  });

  it("is duplicatePoNumber for PLE10004", () => {
    expect(classify(422, shapeB(422, "PLE10004", "Failed to validate client's externalOrderId"))).toEqual({
      kind: "duplicatePoNumber",
      httpStatus: 422,
    });
  });

  it("is notFound for PLE10016", () => {
    expect(classify(404, shapeB(404, "PLE10016", "Failed to get Order details"), "getOrderDetails")).toEqual({
      kind: "notFound",
      httpStatus: 404,
    });
  });

  it("is unknown for PLE10011 'failed to confirm order' (Plum says call again; the order may exist)", () => {
    expect(classify(422, shapeB(422, "PLE10011", "Failed to confirm order"))).toEqual({
      kind: "unknown",
      httpStatus: 422,
      errorId: "PLE10011",
      errorCode: null,
    });
  });

  it("is unknown for PLE10035 (the order may exist: reconcile by poNumber)", () => {
    expect(classify(502, shapeB(502, "PLE10035"))).toEqual({
      kind: "unknown",
      httpStatus: 502,
      errorId: "PLE10035",
      errorCode: null,
    });
  });

  it.each(["PIPE10013", "PIPE10015", "PIPE10016", "PIPE10017"])("is a non-renewable unauthorized for %s", (errorId) => {
    expect(classify(401, shapeB(401, errorId, "Plum Pro APIs", "invalid authorization header!"))).toEqual({
      kind: "unauthorized",
      httpStatus: 401,
      renewable: false,
    });
  });
});

describe("server errors", () => {
  it.each([
    [502, "PLE10025"],
    [502, "PLE10024"],
    [503, "PLE10013"],
    [500, "PLE10012"],
  ])("is unknown for %d with errorId %s, keeping the errorId", (status, errorId) => {
    expect(classify(status, shapeB(status, errorId))).toEqual({
      kind: "unknown",
      httpStatus: status,
      errorId,
      errorCode: null,
    });
  });

  it("is unknown for a 500 without errorId (GB-PO's {code:500, error})", () => {
    expect(classify(500, { code: 500, error: "Internal error" })).toEqual({
      kind: "unknown",
      httpStatus: 500,
      errorId: null,
      errorCode: null,
    });
  });

  it("is unknown for 408", () => {
    expect(classify(408, { code: 408, error: "Request Timeout" }).kind).toBe("unknown");
    expect(classify(408, "Request Timeout").kind).toBe("unknown");
  });
});

describe("shape C and D (rate limit, token invalidation)", () => {
  it("is rateLimited with the penalty for the documented body, whatever the status", () => {
    const body = { errors: [{ message: "auth.request_limit_exceeded", penaltySeconds: 60 }] };
    expect(classify(429, body)).toEqual({ kind: "rateLimited", httpStatus: 429, penaltySeconds: 60 });
    expect(classify(403, { errors: [{ message: "auth.request_limit_exceeded", penaltySeconds: 30 }] })).toEqual({
      kind: "rateLimited",
      httpStatus: 403,
      penaltySeconds: 30,
    });
    expect(classify(200, { errors: [{ message: "auth.request_limit_exceeded", penaltySeconds: "45" }] })).toMatchObject(
      {
        kind: "rateLimited",
        penaltySeconds: 45,
      },
    );
  });

  it("defaults the penalty to 60 s when none is given", () => {
    expect(classify(429, { errors: [{ message: "auth.request_limit_exceeded" }] })).toMatchObject({
      penaltySeconds: 60,
    });
    expect(classify(401, { message: "auth.request_limit_exceeded" })).toEqual({
      kind: "rateLimited",
      httpStatus: 401,
      penaltySeconds: 60,
    });
  });

  it.each([
    ["no body", ""],
    ["a text body", "Too Many Requests"],
    ["an unrelated JSON body", JSON.stringify({ message: "slow down" })],
  ])("is rateLimited for 429 with %s", (_label, text) => {
    expect(classifyResponse(PLACE, 429, text)).toEqual({ kind: "rateLimited", httpStatus: 429, penaltySeconds: 60 });
  });

  it("is a renewable unauthorized for shape D (auth.token_error)", () => {
    expect(classify(401, { success: 0, error_message_id: "auth.token_error" })).toEqual({
      kind: "unauthorized",
      httpStatus: 401,
      renewable: true,
    });
    expect(classify(200, { success: "0", error_message_id: "auth.token_error" })).toMatchObject({
      kind: "unauthorized",
      renewable: true,
    });
  });
});

describe("bodies that are not JSON objects", () => {
  const html = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";

  it.each([
    [200, html],
    [200, ""],
    [201, "OK"],
    [502, html],
    [503, ""],
    [504, "upstream timed out"],
    [500, "[1,2]"],
  ])("is unknown for %d %j (it may hide a processed order)", (status, text) => {
    expect(classifyResponse(PLACE, status, text)).toEqual({
      kind: "unknown",
      httpStatus: status,
      errorId: null,
      errorCode: null,
    });
  });

  it.each([
    [400, "Bad Request"],
    [403, html],
    [404, "<!DOCTYPE html><html><body><pre>Cannot POST /chef/v1/oauth/api/placeOrder</pre></body></html>"],
    [413, ""],
  ])(
    "is an unauthorized (not renewable) answer for %d %j (answered in front of Plum: nothing processed, poNumber stays usable)",
    (status, text) => {
      expect(classifyResponse(PLACE, status, text)).toEqual({
        kind: "unauthorized",
        httpStatus: status,
        renewable: false,
      });
    },
  );

  it("is unknown for a JSON array or scalar on a 2xx", () => {
    expect(classifyResponse(PLACE, 200, "[]").kind).toBe("unknown");
    expect(classifyResponse(PLACE, 200, "null").kind).toBe("unknown");
    expect(classifyResponse(PLACE, 200, "1").kind).toBe("unknown");
  });
});

describe("transport errors", () => {
  function withCode(code: string): Error {
    return Object.assign(new Error("boom"), { code });
  }

  it.each(["ECONNREFUSED", "UND_ERR_CONNECT_TIMEOUT", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"])(
    "is notSent for %s (no connection: the request never left)",
    (code) => {
      expect(classifyTransportError(withCode(code))).toEqual({ kind: "notSent", errorCode: code });
    },
  );

  it.each([
    "UND_ERR_HEADERS_TIMEOUT",
    "UND_ERR_BODY_TIMEOUT",
    "ECONNRESET",
    "UND_ERR_SOCKET",
    "EPIPE",
    "UND_ERR_ABORTED",
  ])("is unknown for %s (the request may have been processed)", (code) => {
    expect(classifyTransportError(withCode(code))).toEqual({
      kind: "unknown",
      httpStatus: null,
      errorId: null,
      errorCode: code,
    });
  });

  it("reads the code from the cause when the error wraps another", () => {
    const wrapped = new Error("fetch failed", { cause: withCode("ECONNREFUSED") });
    expect(errorCodeOf(wrapped)).toBe("ECONNREFUSED");
    expect(classifyTransportError(wrapped).kind).toBe("notSent");
    expect(classifyTransportError(new Error("fetch failed", { cause: withCode("ECONNRESET") })).kind).toBe("unknown");
  });

  it("is unknown when there is no code at all", () => {
    expect(classifyTransportError(new Error("?"))).toEqual({
      kind: "unknown",
      httpStatus: null,
      errorId: null,
      errorCode: "UNKNOWN_ERROR",
    });
    expect(classifyTransportError("a string").kind).toBe("unknown");
    expect(classifyTransportError(null).kind).toBe("unknown");
  });
});
