// What a placeOrder call reports about the order: made now, replayed from the ledger, still pending, or rejected.
export enum PlaceOrderOutcome {
  PLACED = "PLACED",
  REPLAYED = "REPLAYED",
  PENDING = "PENDING",
  REJECTED = "REJECTED",
}
