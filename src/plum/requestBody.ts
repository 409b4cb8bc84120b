// The exact JSON body of a Plum call (also what the attempt log stores).
import { PLUM_TAG, PlumOperation, type PlumOperationName, type PlumRequestBody } from "./wire.js";

export function plumRequestBody(operation: PlumOperationName, data: object): string {
  return JSON.stringify({
    query: PlumOperation[operation],
    tag: PLUM_TAG,
    variables: { data },
  } satisfies PlumRequestBody<object>);
}
