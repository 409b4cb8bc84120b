// Starts a simulator on a real socket and wraps it in the programmatic PlumSimulator handle.
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { PLUM_API_PATH } from "../plum/wire.js";
import { DEFAULT_BEHAVIOUR, type SimBehaviour } from "./behaviour.js";
import { SimulatorCore, type CoreOptions } from "./core.js";
import type { FaultSpec } from "./faults.js";
import type { SimOrder } from "./orderBook.js";
import { createSimulatorServer } from "./server.js";
import type {
  PlumSimulator,
  RecordedCall,
  SimOperation,
  SimulatorOptions,
  WebhookConfig,
  WebhookDelivery,
} from "./types.js";

/** The client credentials the simulator accepts unless told others (the development entry refreshes with them). */
export const SIMULATOR_CLIENT = { clientId: "sim-client-id", clientSecret: "sim-client-secret" } as const;

const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 1_296_000;
const DEFAULT_FIRST_ORDER_ID = 98_765_432;

function coreOptions(options: SimulatorOptions): CoreOptions {
  return {
    accessToken: options.accessToken ?? "sim-access-token",
    refreshToken: options.refreshToken ?? "sim-refresh-token",
    clientId: options.clientId ?? SIMULATOR_CLIENT.clientId,
    clientSecret: options.clientSecret ?? SIMULATOR_CLIENT.clientSecret,
    balance: options.balance ?? 1_000_000,
    webhook: options.webhook,
    autoDeliverMs: options.autoDeliverMs ?? null,
    recordCalls: options.recordCalls ?? true,
    rateLimits: options.rateLimits ?? null,
    ...(options.rateWindowMs === undefined ? {} : { rateWindowMs: options.rateWindowMs }),
    ...(options.ratePenaltySeconds === undefined ? {} : { ratePenaltySeconds: options.ratePenaltySeconds }),
    invalidateOldAccessTokenOnRefresh: options.invalidateOldAccessTokenOnRefresh ?? false,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? DEFAULT_ACCESS_TOKEN_TTL_SECONDS,
    firstOrderId: options.firstOrderId ?? DEFAULT_FIRST_ORDER_ID,
    stateFile: options.stateFile,
    behaviour: {
      deduplicatePoNumbers: options.deduplicatePoNumbers ?? DEFAULT_BEHAVIOUR.deduplicatePoNumbers,
      lookupLagMs: options.lookupLagMs ?? DEFAULT_BEHAVIOUR.lookupLagMs,
    },
  };
}

function urlHost(address: AddressInfo): string {
  // A wildcard bind is reachable on loopback; IPv6 literals need brackets in URLs.
  if (address.address === "0.0.0.0") return "127.0.0.1";
  if (address.address === "::") return "[::1]";
  return address.family === "IPv6" ? `[${address.address}]` : address.address;
}

/** Copies, so callers cannot mutate the simulator's orders. */
function snapshot(order: SimOrder): SimOrder {
  return { ...order };
}

export async function createPlumSimulator(options: SimulatorOptions = {}): Promise<PlumSimulator> {
  const settings = coreOptions(options);
  const core = new SimulatorCore(settings);
  const server = createSimulatorServer(core);
  server.listen(options.port ?? 0, options.host ?? "127.0.0.1");
  await once(server, "listening");
  const baseUrl = `http://${urlHost(server.address() as AddressInfo)}:${(server.address() as AddressInfo).port}`;
  let closing: Promise<void> | undefined;

  return {
    baseUrl,
    apiUrl: `${baseUrl}${PLUM_API_PATH}`,
    client: { clientId: settings.clientId, clientSecret: settings.clientSecret },
    close(): Promise<void> {
      closing ??= (async () => {
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        // Hanging requests (timeout faults) and keep-alive sockets would otherwise hold close() open.
        server.closeAllConnections();
        await core.close();
        await serverClosed;
      })();
      return closing;
    },
    inject: (fault: FaultSpec) => core.faults.push(fault),
    clearFaults: () => core.faults.clear(),
    calls: (operation?: SimOperation): RecordedCall[] => core.calls.list(operation),
    count: (operation: SimOperation) => core.calls.count(operation),
    rates: {
      refused: (operation) => core.rateLimiter.refused(operation),
      acceptedAt: (operation) => core.rateLimiter.acceptedAt(operation),
      peak: (operation, windowMs) => core.rateLimiter.peak(operation, windowMs),
      penalize: (operation) => core.rateLimiter.penalize(operation),
    },
    orders: () => core.book.all().map(snapshot),
    findOrder(by: { orderId?: number; poNumber?: string }): SimOrder | undefined {
      const order =
        by.orderId !== undefined
          ? core.book.get(by.orderId)
          : by.poNumber !== undefined
            ? core.book.getByPoNumber(by.poNumber)
            : undefined;
      return order === undefined ? undefined : snapshot(order);
    },
    ordersByPoNumber: (poNumber: string) => core.book.ordersByPoNumber(poNumber).map(snapshot),
    setBehaviour: (partial: Partial<SimBehaviour>) => core.behaviour.update(partial),
    behaviour: () => core.behaviour.get(),
    async deliver(orderId: number, status?: "delivered" | "canceled"): Promise<void> {
      await core.deliver(orderId, status);
    },
    webhookDeliveries: (): WebhookDelivery[] => core.webhooks.deliveries(),
    webhookDisabled: () => core.webhooks.disabled,
    setWebhook: (config: WebhookConfig | undefined) => core.webhooks.configure(config),
    setBalance: (usd: number) => core.book.setBalance(usd),
    holdOrder: (data?: Record<string, unknown>, orderDate?: Date) => snapshot(core.holdOrder(data, orderDate)),
    balance: () => core.book.balanceUsd,
    expireAccessToken: () => core.tokens.expireAccessToken(),
    get tokens() {
      return core.tokens.pair;
    },
    setCatalogue: (patch) => core.catalogue.update(patch),
    reset: () => core.reset(),
  };
}
