// Runs the inputs' class-validator rules and reports every invalid field at once, as INVALID_INPUT failures with
// the field's path in the GraphQL input. Values are never echoed (they may be personal data).
import { validate, type ValidationError } from "class-validator";
import { isCleanText } from "../orders/cleanText.js";
import { OrderErrorCode, type OrderFailure } from "../orders/errorCodes.js";

function collect(errors: ValidationError[], path: string[], out: OrderFailure[]): void {
  for (const error of errors) {
    const field = [...path, error.property];
    for (const message of Object.values(error.constraints ?? {})) {
      out.push({ code: OrderErrorCode.INVALID_INPUT, message, field, upstreamErrorId: null, retryable: false });
    }
    if (error.children && error.children.length > 0) collect(error.children, field, out);
  }
}

/**
 * Every string of the input, whatever its field's own rules: a lone surrogate (an emoji cut in half) or a control
 * character is refused here, so no driver, upstream or log ever sees one (PostgreSQL's refusal quoted the row).
 */
function collectUncleanStrings(value: unknown, field: string[], out: OrderFailure[]): void {
  if (typeof value === "string") {
    if (!isCleanText(value)) {
      const name = field[field.length - 1] ?? "value";
      const message = `${name} must be well-formed text without control characters`;
      out.push({ code: OrderErrorCode.INVALID_INPUT, message, field, upstreamErrorId: null, retryable: false });
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => collectUncleanStrings(item, [...field, String(index)], out));
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) collectUncleanStrings(item, [...field, key], out);
  }
}

export async function validateInput(input: object, argumentName = "input"): Promise<OrderFailure[]> {
  const errors = await validate(input, {
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
  });
  const failures: OrderFailure[] = [];
  collect(errors, [argumentName], failures);
  collectUncleanStrings(input, [argumentName], failures);
  return failures;
}
