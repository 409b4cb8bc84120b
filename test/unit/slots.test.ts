// The Plum client's exchange slots: never more than `size` at once, sends first, a share reserved for sends.
import { describe, expect, it } from "vitest";
import { Slots } from "../../src/plum/slots.js";

describe("Slots", () => {
  it("never hands out more than its size, and a released slot goes to the next waiter", async () => {
    const slots = new Slots(2);
    const a = await slots.take("send");
    await slots.take("send");
    let third = false;
    const pending = slots.take("send").then((release) => {
      third = true;
      return release;
    });
    await Promise.resolve();
    expect(third).toBe(false);
    a();
    await pending;
    expect(third).toBe(true);
  });

  it("keeps a quarter (at least one) for sends: look-ups cannot take every slot", async () => {
    const slots = new Slots(4);
    for (let i = 0; i < 3; i += 1) await slots.take("lookup");
    let lookup = false;
    void slots.take("lookup").then(() => (lookup = true));
    const send = await slots.take("send"); // the reserved slot is there at once
    await Promise.resolve();
    expect(lookup).toBe(false);
    send();
  });

  it("wakes a waiting send before a waiting look-up", async () => {
    const slots = new Slots(1);
    const first = await slots.take("send");
    const order: string[] = [];
    const lookup = slots.take("lookup").then((r) => (order.push("lookup"), r));
    const send = slots.take("send").then((r) => (order.push("send"), r));
    first();
    (await send)();
    (await lookup)();
    expect(order).toEqual(["send", "lookup"]);
  });
});
