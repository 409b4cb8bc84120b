// "No poNumber" is null in the domain. The tables that can hold one (webhook_events, reconciliation_discrepancies)
// keep po_number NOT NULL and store "" instead: a NULL would never conflict in a unique key, and rows already there
// use "". The conversion happens here only.

/** The column's value for "no poNumber". */
export const NO_PO_NUMBER = "";

export function poNumberColumn(poNumber: string | null): string {
  return poNumber ?? NO_PO_NUMBER;
}

export function poNumberFromColumn(value: string): string | null {
  return value === NO_PO_NUMBER ? null : value;
}
