// Validation rules shared by both placement inputs. Messages name the rule, never the submitted value.
import {
  Metadata,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
  type CountryCode,
} from "libphonenumber-js/max";
import {
  isEmail,
  IsInt,
  IsPositive,
  Matches,
  Max,
  MaxLength,
  Min,
  registerDecorator,
  type ValidationArguments,
} from "class-validator";

/** 1-100 characters of letters, digits and `. _ : / -`, starting with a letter or digit. */
export const PO_NUMBER = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$/;
/** Digits with an optional leading + or bracket, and spaces, dashes or brackets between them (+1-4705000000, (470) 500-0000). */
export const CONTACT = /^(?:\+?[0-9]|\()[0-9 ()-]{5,22}[0-9]$/;
/** Printable text without control characters (tags end up in reports and e-mails). */
export const PRINTABLE = /^[^\p{Cc}]*$/u;
export const LOYALTY_MEMBER_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,49}$/;
export const PHONE_CODE = /^\+[0-9]{1,4}$/;
export const PHONE_DIGITS = /^[0-9]{4,15}$/;

export const ProductIdRule = () => [
  IsInt({ message: "productId must be an integer" }),
  IsPositive({ message: "productId must be positive" }),
];
/**
 * Plum refuses more than 10 items per order (PLE10041, docs/plum-api.md). Airmiles and top-up products allow only 1
 * (their `orderQuantityLimit`), but that per-product limit stays Plum's to enforce; this is the general cap.
 */
export const MAX_QUANTITY = 10;
/**
 * The largest denomination accepted, far above any Plum reward: it refuses exponent inputs such as 1e21 (a valid
 * GraphQL Float) before they reach Plum or the ledger. Plum checks the product's own denominations (PLE10018).
 */
export const MAX_DENOMINATION = 1_000_000;
/** Denominations are money: at most cents. */
export const DENOMINATION_DECIMALS = 2;

export const QuantityRule = () => [
  IsInt({ message: "quantity must be an integer" }),
  Min(1, { message: "quantity must be at least 1" }),
  Max(MAX_QUANTITY, { message: `quantity must be at most ${MAX_QUANTITY} (Plum's limit per order)` }),
];
export const DenominationRule = () => [
  FiniteNumber({ message: "denomination must be a finite number" }),
  NumberInRange(0, MAX_DENOMINATION, {
    message: `denomination must be greater than 0 and at most ${MAX_DENOMINATION.toLocaleString("en-US")}`,
  }),
  AtMostDecimals(DENOMINATION_DECIMALS, {
    message: `denomination must have at most ${DENOMINATION_DECIMALS} decimals`,
  }),
];
export const EmailRule = () => [
  // Through ruleFrom: validator's isEmail throws on a lone surrogate, which must be an INVALID_INPUT like any other.
  ruleFrom(
    "isEmail",
    { message: "email must be a valid e-mail address" },
    (value) => typeof value === "string" && isEmail(value),
  ),
  MaxLength(254, { message: "email must be at most 254 characters" }),
];
export const PoNumberRule = () => [
  Matches(PO_NUMBER, {
    message: "poNumber must be 1-100 characters: letters, digits and . _ : / - (starting with a letter or digit)",
  }),
];
export const TagRule = () => [
  MaxLength(100, { message: "tag must be at most 100 characters" }),
  Matches(PRINTABLE, { message: "tag must not contain control characters" }),
];

/**
 * Whether a finite number has at most `places` decimals, as written in its shortest form (what JSON and GraphQL
 * carry): 10.5 and 1e-2 do, 10.555, 1e-7 and 0.1 + 0.2 do not. It compares the number with itself rounded to `places`
 * decimals rather than splitting its string at the ".", which class-validator's `maxDecimalPlaces` does and which
 * throws on exponent notation (1e-7 has no "."). Never throws.
 */
export function hasAtMostDecimals(value: number, places: number): boolean {
  if (!Number.isFinite(value)) return false;
  if (Number.isInteger(value)) return true;
  // toFixed gives the nearest number with `places` decimals; exact for |value| < 1e21 (larger finite numbers are integers).
  return Number(value.toFixed(places)) === value;
}

/** A single-purpose rule from a predicate on the value; a predicate that throws counts as a failure, never an exception. */
function ruleFrom(name: string, options: { message: string }, check: (value: unknown) => boolean): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: options.message },
      validator: {
        validate(value: unknown): boolean {
          try {
            return check(value);
          } catch {
            return false;
          }
        },
      },
    });
}

/** A number, not NaN and not ±Infinity. */
export function FiniteNumber(options: { message: string }): PropertyDecorator {
  return ruleFrom("finiteNumber", options, (value) => typeof value === "number" && Number.isFinite(value));
}

/** Greater than `exclusiveMin` and at most `max`. Non-finite values are left to FiniteNumber (one message each). */
export function NumberInRange(exclusiveMin: number, max: number, options: { message: string }): PropertyDecorator {
  return ruleFrom(
    "numberInRange",
    options,
    (value) => typeof value !== "number" || !Number.isFinite(value) || (value > exclusiveMin && value <= max),
  );
}

/** At most `places` decimals (see hasAtMostDecimals). Non-finite values are left to FiniteNumber. */
export function AtMostDecimals(places: number, options: { message: string }): PropertyDecorator {
  return ruleFrom(
    "atMostDecimals",
    options,
    (value) => typeof value !== "number" || !Number.isFinite(value) || hasAtMostDecimals(value, places),
  );
}

/** Applies a list of property decorators (the rule helpers above) to one property. */
export function Rules(...rules: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => rules.forEach((rule) => rule(target, key));
}

/** What the mobile-length check reads of a numbering plan: `type()` exists at runtime but not in libphonenumber-js's typings. */
interface NumberingPlanWithTypes {
  possibleLengths(): number[];
  type?(name: "MOBILE"): { possibleLengths(): number[] | undefined } | undefined;
}

/**
 * A top-up recharges a mobile phone, so the length must be one a mobile number can have: the country's general
 * lengths also admit landlines (+91 allows 8-13 digits, its mobiles only 10).
 */
function hasMobileLength(e164: string): boolean {
  const phone = parsePhoneNumberFromString(e164);
  if (phone === undefined) return false;
  const metadata = new Metadata();
  try {
    // A country when the number identifies one (+1 264 is Anguilla), else the calling code's main plan.
    metadata.selectNumberingPlan(phone.country ?? (phone.countryCallingCode as CountryCode));
  } catch {
    return true; // no plan to check against: the general length check has already passed
  }
  const plan = metadata.numberingPlan as NumberingPlanWithTypes | undefined;
  const lengths = plan?.type?.("MOBILE")?.possibleLengths() ?? plan?.possibleLengths();
  return lengths === undefined || lengths.includes(phone.nationalNumber.length);
}

/**
 * The national number must have a plausible length for the country code next to it (libphonenumber's metadata),
 * as a mobile number: e.g. exactly 10 digits for +91.
 */
export function PlausibleForCountryCode(codeProperty: string): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: "plausibleForCountryCode",
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: "topupPhoneNumber must have a plausible length for topupPhoneCode" },
      validator: {
        validate(value: unknown, args: ValidationArguments): boolean {
          const code = (args.object as Record<string, unknown>)[codeProperty];
          if (
            typeof value !== "string" ||
            typeof code !== "string" ||
            !PHONE_CODE.test(code) ||
            !PHONE_DIGITS.test(value)
          ) {
            return true; // the format rules report these
          }
          const e164 = `${code}${value}`;
          return validatePhoneNumberLength(e164) === undefined && hasMobileLength(e164);
        },
      },
    });
}
