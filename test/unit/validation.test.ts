// validateInput on real input class instances (what type-graphql hands the resolver): every rule of rules.ts,
// every invalid field reported at once with its path, and no message echoing what was submitted.
import { describe, expect, it } from "vitest";
import { AirmilesUserMetaInput } from "../../src/graph/inputs/AirmilesUserMetaInput.js";
import { PlaceAirmilesOrderInput } from "../../src/graph/inputs/PlaceAirmilesOrderInput.js";
import { PlaceTopupOrderInput } from "../../src/graph/inputs/PlaceTopupOrderInput.js";
import { TopupUserMetaInput } from "../../src/graph/inputs/TopupUserMetaInput.js";
import { validateInput } from "../../src/graph/validation.js";
import { OrderErrorCode, type OrderFailure } from "../../src/orders/errorCodes.js";

type AirmilesFields = Omit<Partial<PlaceAirmilesOrderInput>, "userMeta"> & {
  userMeta?: Partial<AirmilesUserMetaInput>;
};
type TopupFields = Omit<Partial<PlaceTopupOrderInput>, "userMeta"> & { userMeta?: Partial<TopupUserMetaInput> };

function airmiles(overrides: AirmilesFields = {}): PlaceAirmilesOrderInput {
  const { userMeta, ...rest } = overrides;
  return Object.assign(new PlaceAirmilesOrderInput(), {
    productId: 15365,
    quantity: 1,
    denomination: 50,
    email: "your.email@example.com",
    contact: "+1-4705000000",
    tag: "Rewarding",
    poNumber: "PO12662",
    notifyReceiverEmail: true,
    notifyAdminEmail: false,
    ...rest,
    userMeta: Object.assign(new AirmilesUserMetaInput(), { loyaltyMemberId: "324523423", ...userMeta }),
  });
}

function topup(overrides: TopupFields = {}): PlaceTopupOrderInput {
  const { userMeta, ...rest } = overrides;
  return Object.assign(new PlaceTopupOrderInput(), {
    productId: 20001,
    quantity: 1,
    denomination: 100,
    email: "your.email@example.com",
    tag: "Rewarding",
    poNumber: "PO12663",
    notifyReceiverEmail: false,
    notifyAdminEmail: false,
    performOperatorValidation: false,
    ...rest,
    userMeta: Object.assign(new TopupUserMetaInput(), {
      topupPhoneCode: "+91",
      topupPhoneNumber: "9857535678",
      ...userMeta,
    }),
  });
}

/** The distinct field paths that failed, as "input.userMeta.topupPhoneNumber". */
function failedFields(failures: OrderFailure[]): string[] {
  return [...new Set(failures.map((f) => (f.field ?? []).join(".")))].sort();
}

async function fieldsOf(input: object): Promise<string[]> {
  return failedFields(await validateInput(input));
}

describe("valid inputs", () => {
  it("accepts the seeds' airmiles and top-up orders", async () => {
    expect(await validateInput(airmiles())).toEqual([]);
    expect(await validateInput(topup())).toEqual([]);
  });

  it("accepts inputs without the optional contact and tag", async () => {
    expect(await validateInput(airmiles({ contact: null, tag: null }))).toEqual([]);
    expect(await validateInput(airmiles({ contact: undefined, tag: undefined }))).toEqual([]);
    expect(await validateInput(topup({ tag: null }))).toEqual([]);
  });
});

describe("email", () => {
  it.each(["not-an-email", "a@", "@example.com", "a b@example.com", ""])("rejects %j", async (email) => {
    expect(await fieldsOf(airmiles({ email }))).toEqual(["input.email"]);
    expect(await fieldsOf(topup({ email }))).toEqual(["input.email"]);
  });

  it("rejects an address longer than 254 characters", async () => {
    expect(
      await fieldsOf(
        airmiles({ email: `${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(63)}.com` }),
      ),
    ).toEqual(["input.email"]);
  });
});

describe("poNumber", () => {
  it.each(["PO-1", "a.b_c:d/e", "A", "x".repeat(100), "2026/11/PO_1:a-b.c"])("accepts %j", async (poNumber) => {
    expect(await validateInput(airmiles({ poNumber }))).toEqual([]);
  });

  it.each([
    ["empty", ""],
    ["101 characters", "x".repeat(101)],
    ["a space", "PO 1"],
    ["a semicolon", "PO;1"],
    ["unicode", "PO-ü1"],
    ["an emoji", "PO-🙂"],
    ["a leading dash", "-PO1"],
    ["a newline", "PO1\n"],
  ])("rejects %s", async (_label, poNumber) => {
    expect(await fieldsOf(airmiles({ poNumber }))).toEqual(["input.poNumber"]);
    expect(await fieldsOf(topup({ poNumber }))).toEqual(["input.poNumber"]);
  });
});

describe("productId and quantity", () => {
  it.each([0, -1, 1.5])("rejects productId %d", async (productId) => {
    expect(await fieldsOf(airmiles({ productId }))).toEqual(["input.productId"]);
    expect(await fieldsOf(topup({ productId }))).toEqual(["input.productId"]);
  });

  it.each([0, -1, 1.5])("rejects quantity %d", async (quantity) => {
    expect(await fieldsOf(airmiles({ quantity }))).toEqual(["input.quantity"]);
    expect(await fieldsOf(topup({ quantity }))).toEqual(["input.quantity"]);
  });

  it("accepts a quantity above 1 (the product limit is Plum's to enforce)", async () => {
    expect(await validateInput(airmiles({ quantity: 2 }))).toEqual([]);
  });
});

describe("denomination", () => {
  it.each([50, 0.01, 10.5, 99.99, 10_000])("accepts %d", async (denomination) => {
    expect(await validateInput(airmiles({ denomination }))).toEqual([]);
  });

  it.each([
    ["zero", 0],
    ["negative", -5],
    ["three decimals", 10.123],
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["-Infinity", Number.NEGATIVE_INFINITY],
  ])("rejects %s", async (_label, denomination) => {
    expect(await fieldsOf(airmiles({ denomination }))).toEqual(["input.denomination"]);
    expect(await fieldsOf(topup({ denomination }))).toEqual(["input.denomination"]);
  });
});

describe("loyaltyMemberId", () => {
  it.each(["324523423", "EK-123456789", "a"])("accepts %j", async (loyaltyMemberId) => {
    expect(await validateInput(airmiles({ userMeta: { loyaltyMemberId } }))).toEqual([]);
  });

  it.each(["", " ", "12 34", "-123", "123;drop", "x".repeat(51), "ü123"])("rejects %j", async (loyaltyMemberId) => {
    expect(await fieldsOf(airmiles({ userMeta: { loyaltyMemberId } }))).toEqual(["input.userMeta.loyaltyMemberId"]);
  });
});

describe("topupPhoneCode", () => {
  it.each(["+91", "+1", "+44", "+1264"])("accepts %j", async (topupPhoneCode) => {
    // A number of plausible length for each code, so only the code rule is under test.
    const numbers: Record<string, string> = {
      "+91": "9857535678",
      "+1": "2015550123",
      "+44": "7400123456",
      "+1264": "2352345",
    };
    expect(
      await validateInput(topup({ userMeta: { topupPhoneCode, topupPhoneNumber: numbers[topupPhoneCode] } })),
    ).toEqual([]);
  });

  it.each(["91", "+", "+12345", "+9a", "", "++91"])("rejects %j", async (topupPhoneCode) => {
    expect(await fieldsOf(topup({ userMeta: { topupPhoneCode } }))).toEqual(["input.userMeta.topupPhoneCode"]);
  });
});

describe("topupPhoneNumber", () => {
  it.each([
    ["+91", "9857535678"],
    ["+1", "2015550123"],
    ["+44", "7400123456"],
  ])("accepts a %s number of plausible length", async (topupPhoneCode, topupPhoneNumber) => {
    expect(await validateInput(topup({ userMeta: { topupPhoneCode, topupPhoneNumber } }))).toEqual([]);
  });

  it.each([
    ["+91", "985753567", "9 digits"],
    ["+91", "98575356789", "11 digits"],
    ["+1", "201555012", "9 digits"],
    ["+1", "20155501234", "11 digits"],
    ["+44", "74001", "5 digits"],
    ["+44", "740012345678", "12 digits"],
  ])("rejects a %s number of %s (%s)", async (topupPhoneCode, topupPhoneNumber) => {
    expect(await fieldsOf(topup({ userMeta: { topupPhoneCode, topupPhoneNumber } }))).toEqual([
      "input.userMeta.topupPhoneNumber",
    ]);
  });

  it.each(["98575-35678", "+919857535678", "98 5753 5678", "abc", "123", ""])(
    "rejects the malformed %j",
    async (topupPhoneNumber) => {
      expect(await fieldsOf(topup({ userMeta: { topupPhoneNumber } }))).toEqual(["input.userMeta.topupPhoneNumber"]);
    },
  );
});

describe("contact", () => {
  it.each(["+1-4705000000", "+91 98575 35678", "(470) 500-0000", "4705000000"])("accepts %j", async (contact) => {
    expect(await validateInput(airmiles({ contact }))).toEqual([]);
  });

  it.each(["call me", "12", "+1-470-500-0000 ext 5", "+1;4705000000", "4705000000-", "1".repeat(30)])(
    "rejects %j",
    async (contact) => {
      expect(await fieldsOf(airmiles({ contact }))).toEqual(["input.contact"]);
    },
  );
});

describe("tag", () => {
  it("accepts 100 printable characters, including unicode", async () => {
    expect(await validateInput(airmiles({ tag: "ü".repeat(100) }))).toEqual([]);
    expect(await validateInput(topup({ tag: "Diwali bonus 2026 – team A" }))).toEqual([]);
  });

  it.each([
    ["101 characters", "x".repeat(101)],
    ["a bell character", "Reward\u0007"],
    ["a newline", "line1\nline2"],
    ["a NUL", "a\u0000b"],
    ["DEL", "a\u007fb"],
  ])("rejects %s", async (_label, tag) => {
    expect(await fieldsOf(airmiles({ tag }))).toEqual(["input.tag"]);
    expect(await fieldsOf(topup({ tag }))).toEqual(["input.tag"]);
  });
});

describe("an input with many bad fields", () => {
  // Distinctive values: if any of them shows up in a message, the message echoes the submitted value.
  const SECRET = "zq7xsecret";

  it("reports every airmiles field at once, each with its path, echoing no value", async () => {
    const failures = await validateInput(
      airmiles({
        productId: -777,
        quantity: 0,
        denomination: 12.345,
        email: `${SECRET}-mail`,
        contact: `${SECRET}-phone`,
        tag: `${SECRET}\u0001`,
        poNumber: `${SECRET} po;`,
        userMeta: { loyaltyMemberId: `${SECRET} member` },
      }),
    );
    expect(failedFields(failures)).toEqual(
      [
        "input.contact",
        "input.denomination",
        "input.email",
        "input.poNumber",
        "input.productId",
        "input.quantity",
        "input.tag",
        "input.userMeta.loyaltyMemberId",
      ].sort(),
    );
    expect(failures.find((f) => f.field?.at(-1) === "loyaltyMemberId")?.field).toEqual([
      "input",
      "userMeta",
      "loyaltyMemberId",
    ]);
    for (const failure of failures) {
      expect(failure).toMatchObject({ code: OrderErrorCode.INVALID_INPUT, retryable: false, upstreamErrorId: null });
      expect(failure.message).not.toContain(SECRET);
      expect(failure.message).not.toMatch(/777|12\.345/);
    }
  });

  it("reports every top-up field at once, including both userMeta fields", async () => {
    const failures = await validateInput(
      topup({
        productId: 0,
        quantity: -3,
        denomination: Number.POSITIVE_INFINITY,
        email: `${SECRET}@`,
        tag: "t".repeat(101),
        poNumber: `${SECRET}ü`,
        userMeta: { topupPhoneCode: "91", topupPhoneNumber: `${SECRET}` },
      }),
    );
    expect(failedFields(failures)).toEqual(
      [
        "input.denomination",
        "input.email",
        "input.poNumber",
        "input.productId",
        "input.quantity",
        "input.tag",
        "input.userMeta.topupPhoneCode",
        "input.userMeta.topupPhoneNumber",
      ].sort(),
    );
    expect(failures.find((f) => f.field?.at(-1) === "topupPhoneNumber")?.field).toEqual([
      "input",
      "userMeta",
      "topupPhoneNumber",
    ]);
    for (const failure of failures) {
      expect(failure.code).toBe(OrderErrorCode.INVALID_INPUT);
      expect(failure.message).not.toContain(SECRET);
    }
  });

  it("reports an implausible top-up number with the path of the number, not the code", async () => {
    const failures = await validateInput(topup({ userMeta: { topupPhoneCode: "+91", topupPhoneNumber: "98575356" } }));
    expect(failures).toHaveLength(1);
    expect(failures[0]?.field).toEqual(["input", "userMeta", "topupPhoneNumber"]);
    expect(failures[0]?.message).not.toContain("98575356");
  });

  it("uses the argument name it is given as the root of the path", async () => {
    const failures = await validateInput(airmiles({ email: "nope" }), "order");
    expect(failures.map((f) => f.field)).toEqual([["order", "email"]]);
  });
});
