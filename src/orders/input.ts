// The placement inputs as the domain sees them. The GraphQL input classes implement these shapes (and carry the
// class-validator rules); the domain never depends on the graph layer.
export interface BaseOrderInput {
  productId: number;
  quantity: number;
  denomination: number;
  email: string;
  tag?: string | null;
  poNumber: string;
  notifyReceiverEmail: boolean;
  notifyAdminEmail: boolean;
}

export interface AirmilesOrderInput extends BaseOrderInput {
  contact?: string | null;
  userMeta: { loyaltyMemberId: string };
}

export interface TopupOrderInput extends BaseOrderInput {
  performOperatorValidation: boolean;
  userMeta: { topupPhoneCode: string; topupPhoneNumber: string };
}
