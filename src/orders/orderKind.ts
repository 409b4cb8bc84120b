// The two kinds of order this subgraph places: an airmiles voucher or a mobile top-up.
export enum OrderKind {
  AIRMILES = "AIRMILES",
  TOPUP = "TOPUP",
}
