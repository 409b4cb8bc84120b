// Before an order: which operator a phone number belongs to, what an order would meet and cost (placing nothing),
// and the wallet balance for admins. None of these answers is cacheable by the router.
import { GraphQLError } from "graphql";
import { Arg, ArgsType, Args, Ctx, Directive, Field, Query, Resolver } from "type-graphql";
import { RequiresScopes } from "../access/RequiresScopes.js";
import { Matches } from "class-validator";
import { Scope } from "../../auth/caller.js";
import { estimateCharge } from "../../catalogue/estimate.js";
import { OperatorLookupUnavailableError } from "../../catalogue/OperatorDetector.js";
import type { DetectedOperator } from "../../catalogue/parseOperatorLookup.js";
import type { CatalogueProduct } from "../../catalogue/product.js";
import { BalanceUnavailableError } from "../../catalogue/WalletBalanceReader.js";
import { OrderKind } from "../../orders/orderKind.js";
import type { OrderRequest } from "../../orders/toPlaceOrderData.js";
import { checkOrder } from "../catalogue/orderChecks.js";
import { toProduct, toTopupOperator } from "../catalogue/toProduct.js";
import type { GraphContext } from "../context.js";
import { PlaceAirmilesOrderInput } from "../inputs/PlaceAirmilesOrderInput.js";
import { PlaceTopupOrderInput } from "../inputs/PlaceTopupOrderInput.js";
import { PHONE_CODE, PHONE_DIGITS, PlausibleForCountryCode } from "../inputs/rules.js";
import { toOrderError } from "../toGraph.js";
import { OperatorDetection } from "../types/OperatorDetection.js";
import { OrderQuote } from "../types/OrderQuote.js";
import { WalletBalance } from "../types/WalletBalance.js";
import { validateInput } from "../validation.js";

@ArgsType()
class DetectOperatorArgs {
  @Field(() => String, { description: 'Country calling code with a leading +, e.g. "+91".' })
  @Matches(PHONE_CODE, { message: "phoneCode must be + followed by 1-4 digits" })
  phoneCode!: string;

  @Field(() => String, {
    description: 'The national number, digits only, without the country code, e.g. "9857535678".',
  })
  @Matches(PHONE_DIGITS, { message: "phoneNumber must be 4-15 digits" })
  @PlausibleForCountryCode("phoneCode")
  phoneNumber!: string;
}

function upstreamUnavailable(what: string): GraphQLError {
  return new GraphQLError(`Plum could not be asked ${what}; try again shortly.`, {
    extensions: { code: "UPSTREAM_UNAVAILABLE" },
  });
}

const QUOTE =
  " Runs every rule placement runs before it claims the poNumber (input rules, then the catalogue's denominations, quantity limit and product kind); places and records nothing.";

@Resolver()
export class PreOrderResolver {
  @RequiresScopes(Scope.read)
  @Directive("@cost(weight: 5)")
  @Query(() => OperatorDetection, {
    description:
      "The mobile operator of a phone number (Plum's lookupMobileNumber, cached briefly); `operator` is null when Plum cannot tell. A malformed number is a BAD_USER_INPUT error naming the argument.",
  })
  async detectTopupOperator(
    @Args(() => DetectOperatorArgs) args: DetectOperatorArgs,
    @Ctx() context: GraphContext,
  ): Promise<OperatorDetection> {
    const invalid = await validateInput(Object.assign(new DetectOperatorArgs(), args), "args");
    const first = invalid[0];
    if (first !== undefined) {
      // The path names the argument (e.g. ["phoneNumber"]); the value is never echoed.
      const field = first.field?.slice(1) ?? [];
      throw new GraphQLError(first.message, { extensions: { code: "BAD_USER_INPUT", field } });
    }
    const detected = await context.services.catalogue.operators
      .detect(`${args.phoneCode}${args.phoneNumber}`)
      .catch((error: unknown) => {
        throw error instanceof OperatorLookupUnavailableError ? upstreamUnavailable("for the operator") : error;
      });
    if (detected === null) return { operator: null, active: null };
    if (detected.operatorId === null && detected.name === null) return { operator: null, active: detected.active };
    // The snapshot's entry is the authority on names and logos; Plum's answer may carry a name only.
    const known = await knownOperator(detected, context);
    if (known !== null) return { operator: toTopupOperator(known), active: detected.active };
    if (detected.operatorId === null || detected.name === null) return { operator: null, active: detected.active };
    return {
      operator: toTopupOperator({
        productId: detected.operatorId,
        name: detected.name,
        countryCode: detected.countryCode,
        imageUrl: null,
      }),
      active: detected.active,
    };
  }

  @RequiresScopes(Scope.write)
  @Query(() => OrderQuote, {
    description: `What placeAirmilesOrder would answer for this input, and what it would cost.${QUOTE}`,
  })
  quoteAirmilesOrder(
    @Arg("input", () => PlaceAirmilesOrderInput, { description: "Exactly what you would pass to placeAirmilesOrder." })
    input: PlaceAirmilesOrderInput,
    @Ctx() context: GraphContext,
  ): Promise<OrderQuote> {
    return quote({ kind: OrderKind.AIRMILES, input }, context);
  }

  @RequiresScopes(Scope.write)
  @Query(() => OrderQuote, {
    description: `What placeTopupOrder would answer for this input, and what it would cost.${QUOTE}`,
  })
  quoteTopupOrder(
    @Arg("input", () => PlaceTopupOrderInput, { description: "Exactly what you would pass to placeTopupOrder." })
    input: PlaceTopupOrderInput,
    @Ctx() context: GraphContext,
  ): Promise<OrderQuote> {
    return quote({ kind: OrderKind.TOPUP, input }, context);
  }

  @RequiresScopes(Scope.admin)
  @Directive("@cost(weight: 5)")
  @Query(() => WalletBalance, {
    nullable: true,
    description: "The company's Plum wallet balance (getBalance, cached for a minute). Needs orders:admin.",
  })
  async walletBalance(@Ctx() context: GraphContext): Promise<WalletBalance | null> {
    try {
      return await context.services.catalogue.balance.balance();
    } catch (error) {
      if (error instanceof BalanceUnavailableError) throw upstreamUnavailable("for the balance");
      throw error;
    }
  }
}

/** The snapshot's operator for a detection: by id, else by name (within the country when Plum named one). */
async function knownOperator(detected: DetectedOperator, context: GraphContext): Promise<CatalogueProduct | null> {
  try {
    if (detected.operatorId !== null) {
      const byId = await context.catalogue.products.load(detected.operatorId);
      return byId !== null && byId.role === "operator" ? byId : null;
    }
    const name = detected.name?.trim().toLowerCase();
    const operators = await context.catalogue.service.list({
      kind: OrderKind.TOPUP,
      role: "operator",
      countryCode: detected.countryCode,
    });
    return operators.find((operator) => operator.name.trim().toLowerCase() === name) ?? null;
  } catch {
    return null; // no snapshot: answer from Plum's words alone
  }
}

async function quote(request: OrderRequest, context: GraphContext): Promise<OrderQuote> {
  const { invalid, preflight } = await checkOrder(request, context);
  const errors = [...invalid, ...preflight.failures].map(toOrderError);
  const { productId, denomination, quantity } = request.input;
  // The product is shown even when the input is invalid, if its id is usable.
  const usable = Number.isSafeInteger(productId) && productId > 0;
  const entry =
    preflight.product ?? (usable ? await context.catalogue.products.load(productId).catch(() => null) : null);
  const orderable = entry !== null && entry.role === "product" ? entry : null;
  const priced =
    orderable !== null && errors.length === 0
      ? estimateCharge(orderable, denomination, quantity, context.services.catalogue.walletCurrency)
      : null;
  return {
    valid: errors.length === 0,
    errors,
    product: orderable === null ? null : toProduct(orderable, (await context.catalogue.snapshot()).refreshedAt),
    faceValue: priced?.faceValue ?? null,
    currencyCode: priced?.currencyCode ?? orderable?.currencyCode ?? null,
    feePercent: orderable?.feePercent ?? null,
    discountPercent: orderable?.discountPercent ?? null,
    estimatedCharge: priced?.estimatedCharge ?? null,
    chargeCurrencyCode: priced?.chargeCurrencyCode ?? null,
  };
}
