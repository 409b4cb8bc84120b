import type { DeliveryType, ProductCategory } from "./catalogue.js";

export type SimDeliveryStatus = "delivered" | "pending" | "canceled";

export interface SimOrder {
  readonly orderId: number;
  /** "" when the client sent none. */
  readonly poNumber: string;
  readonly productId: number;
  readonly productName: string;
  readonly category: ProductCategory;
  readonly deliveryType: DeliveryType;
  readonly currencyCode: string;
  readonly currencyValue: number;
  readonly denomination: number;
  readonly quantity: number;
  /** In the product currency. */
  readonly orderTotal: number;
  readonly rawOrderTotal: number;
  readonly orderDiscount: number;
  readonly rawOrderDiscount: number;
  readonly discountPercent: number;
  readonly amountCharged: number;
  /** What the USD wallet was debited. */
  readonly amountChargedUsd: number;
  readonly tag: string;
  readonly email: string;
  readonly contact: string | null;
  readonly userMeta: Readonly<Record<string, string>>;
  readonly orderDate: Date;
  deliveryStatus: SimDeliveryStatus;
  deliveryDate: Date | null;
}

export type NewOrder = Omit<SimOrder, "orderId">;

/** What outlives a restart (stateFile.ts): the orders, the wallet and the next id. */
export interface OrderBookState {
  orders: SimOrder[];
  balanceUsd: number;
  nextOrderId: number;
}

/**
 * Orders by id plus an O(1) poNumber index, and the USD wallet they are paid from. The index keeps every order per
 * poNumber, oldest first: with de-duplication off (behaviour.ts) several orders may share one.
 */
export class OrderBook {
  private readonly byId = new Map<number, SimOrder>();
  private readonly byPoNumber = new Map<string, SimOrder[]>();
  private nextOrderId: number;
  private balance: number;

  constructor(
    private readonly initialBalanceUsd: number,
    firstOrderId: number,
    /** Called after every change (the state file saves then). */
    private readonly onChange: () => void = () => undefined,
  ) {
    this.balance = initialBalanceUsd;
    this.nextOrderId = firstOrderId;
  }

  get balanceUsd(): number {
    return this.balance;
  }

  setBalance(usd: number): void {
    this.balance = usd;
    this.onChange();
  }

  /** After an order's delivery fields were changed in place. */
  changed(): void {
    this.onChange();
  }

  /** Debits the wallet and stores the order. Callers check balance and poNumber first. */
  create(order: NewOrder): SimOrder {
    const created: SimOrder = { orderId: this.nextOrderId++, ...order };
    this.balance = Math.round((this.balance - created.amountChargedUsd) * 100) / 100;
    this.byId.set(created.orderId, created);
    if (created.poNumber !== "") {
      const sharing = this.byPoNumber.get(created.poNumber);
      if (sharing === undefined) this.byPoNumber.set(created.poNumber, [created]);
      else sharing.push(created);
    }
    this.onChange();
    return created;
  }

  refund(order: SimOrder): void {
    this.balance = Math.round((this.balance + order.amountChargedUsd) * 100) / 100;
    this.onChange();
  }

  get(orderId: number): SimOrder | undefined {
    return this.byId.get(orderId);
  }

  /** The first order placed with this poNumber. */
  getByPoNumber(poNumber: string): SimOrder | undefined {
    return this.byPoNumber.get(poNumber)?.[0];
  }

  /** Every order placed with this poNumber, oldest first ([] for ""). */
  ordersByPoNumber(poNumber: string): SimOrder[] {
    return [...(this.byPoNumber.get(poNumber) ?? [])];
  }

  hasPoNumber(poNumber: string): boolean {
    return this.byPoNumber.has(poNumber);
  }

  all(): SimOrder[] {
    return [...this.byId.values()];
  }

  state(): OrderBookState {
    return { orders: this.all(), balanceUsd: this.balance, nextOrderId: this.nextOrderId };
  }

  /** Replaces the book with a saved one; ids keep increasing past both the saved and the configured next id. */
  restore(state: OrderBookState): void {
    this.byId.clear();
    this.byPoNumber.clear();
    for (const order of state.orders) {
      this.byId.set(order.orderId, order);
      if (order.poNumber !== "")
        this.byPoNumber.set(order.poNumber, [...(this.byPoNumber.get(order.poNumber) ?? []), order]);
    }
    this.balance = state.balanceUsd;
    this.nextOrderId = Math.max(this.nextOrderId, state.nextOrderId);
  }

  /** Order ids keep increasing across resets, as Plum's ids are never reused. */
  reset(): void {
    this.byId.clear();
    this.byPoNumber.clear();
    this.balance = this.initialBalanceUsd;
    this.onChange();
  }
}
