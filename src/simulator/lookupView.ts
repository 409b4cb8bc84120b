// What getOrderDetails can see: the order book minus orders younger than the look-up lag (behaviour.ts). The
// book itself (orders(), findOrder, placeOrder's duplicate check) always sees everything: only the read side lags,
// as an eventually consistent Plum would.
import type { OrderBook, SimOrder } from "./orderBook.js";

export class LookupView {
  constructor(
    private readonly book: OrderBook,
    private readonly lagMs: number,
    private readonly nowMs: number,
  ) {}

  visible(order: SimOrder): boolean {
    return this.lagMs <= 0 || this.nowMs - order.orderDate.getTime() >= this.lagMs;
  }

  get(orderId: number): SimOrder | undefined {
    const order = this.book.get(orderId);
    return order !== undefined && this.visible(order) ? order : undefined;
  }

  /** The first visible order with this poNumber (the first placed, once the lag has passed for it). */
  getByPoNumber(poNumber: string): SimOrder | undefined {
    return this.book.ordersByPoNumber(poNumber).find((order) => this.visible(order));
  }

  all(): SimOrder[] {
    return this.book.all().filter((order) => this.visible(order));
  }
}
