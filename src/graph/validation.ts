// Runs the inputs' class-validator rules and reports every invalid field at once, as INVALID_INPUT failures with
// the field's path in the GraphQL input. Values are never echoed (they may be personal data).
import { validate, type ValidationError } from "class-validator";
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

export async function validateInput(input: object, argumentName = "input"): Promise<OrderFailure[]> {
  const errors = await validate(input, {
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
  });
  const failures: OrderFailure[] = [];
  collect(errors, [argumentName], failures);
  return failures;
}
