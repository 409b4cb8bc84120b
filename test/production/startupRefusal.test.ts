// The service refuses to start when its configuration is unsafe or wrong: in production everything that keeps
// money and data safe must be set, and every problem is listed at once (one line per variable, never a value).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService, stopAllServices, type ServiceProcess } from "../support/serviceProcess.js";

afterAll(stopAllServices);

/** Variable names from the "  - NAME: …" lines of the refusal. */
function listed(stderr: string): string[] {
  return [...stderr.matchAll(/^\s+- ([A-Z0-9_]+(?:(?: or | and |, )[A-Z0-9_]+)*)(?:\.[A-Za-z_.]+)?:/gm)].flatMap((m) =>
    (m[1] ?? "").split(/ or | and |, /),
  );
}

const EVERY_PRODUCTION_REQUIREMENT = [
  "XOXODAY_API_URL",
  "XOXODAY_ACCESS_TOKEN",
  "XOXODAY_REFRESH_TOKEN",
  "XOXODAY_CLIENT_ID",
  "XOXODAY_CLIENT_SECRET",
  "XOXODAY_WEBHOOK_KEY",
  "AUTH_JWKS_URL",
  "AUTH_JWT_SECRET",
  "AUTH_ISSUER",
  "AUTH_AUDIENCE",
  "ROUTER_SECRET",
  "DATABASE_URL",
];

describe("start-up refusal", () => {
  const secrets = {
    access: "prod-access-token-canary-51f0",
    clientSecret: "prod-client-secret-canary-77aa",
    router: "prod-router-secret-canary-c0de",
    jwt: "prod-jwt-secret-canary-0123456789abcdef",
    dbPassword: "prod-db-password-canary-9d2e",
  };
  let nothing: ServiceProcess;
  let partial: ServiceProcess;
  let bad: ServiceProcess;
  let typo: ServiceProcess;

  // Every child starts at once: each pays tsx's start-up, which dominates this file's time.
  beforeAll(() => {
    nothing = startService({ NODE_ENV: "production" });
    partial = startService({
      NODE_ENV: "production",
      XOXODAY_API_URL: "https://plum.example.test/chef/v1/oauth/api",
      XOXODAY_ACCESS_TOKEN: secrets.access,
      XOXODAY_CLIENT_SECRET: secrets.clientSecret,
      ROUTER_SECRET: secrets.router,
      AUTH_JWT_SECRET: secrets.jwt,
      // The embedded SQLite ledger is not allowed in production (replicas share one ledger).
      DATABASE_URL: `sqlite://user:${secrets.dbPassword}@/tmp/orders.sqlite`,
    });
    bad = startService({
      NODE_ENV: "development",
      PORT: "abc",
      XOXODAY_API_URL: "https://x/chef/v1/oauth/api/placeOrder",
      AUTH_JWT_SECRET: "short-jwt-secret-canary",
      XOXODAY_WEBHOOK_KEY: "not alphanumeric!",
      MAX_BODY_BYTES: "12",
    });
    typo = startService({ NODE_ENV: "prod" });
  });

  it("lists every missing requirement and exits 1; with a partial set, only what is still missing, and never a value", async () => {
    const [nothingCode, partialCode] = await Promise.all([nothing.exited, partial.exited]);

    expect(nothingCode).toBe(1);
    expect(nothing.stderr()).toContain("refusing to start");
    expect(new Set(listed(nothing.stderr()))).toEqual(new Set(EVERY_PRODUCTION_REQUIREMENT));
    expect(nothing.stdout()).not.toContain("orders subgraph listening");

    expect(partialCode).toBe(1);
    expect(new Set(listed(partial.stderr()))).toEqual(
      new Set([
        "XOXODAY_REFRESH_TOKEN",
        "XOXODAY_CLIENT_ID",
        "XOXODAY_WEBHOOK_KEY",
        "AUTH_ISSUER",
        "AUTH_AUDIENCE",
        "DATABASE_URL",
      ]),
    );
    const output = partial.stderr() + partial.stdout();
    for (const value of Object.values(secrets)) expect(output).not.toContain(value);
  });

  it("names each bad variable outside production too, without echoing its value", async () => {
    expect(await bad.exited).toBe(1);
    const stderr = bad.stderr();
    expect(new Set(listed(stderr))).toEqual(
      new Set(["PORT", "XOXODAY_API_URL", "AUTH_JWT_SECRET", "XOXODAY_WEBHOOK_KEY", "MAX_BODY_BYTES"]),
    );
    expect(stderr).toMatch(/PORT: must be a number/);
    expect(stderr).toMatch(/XOXODAY_API_URL: .*without \/placeOrder/);
    expect(stderr).toMatch(/AUTH_JWT_SECRET: .*at least 32 characters/);
    expect(stderr).toMatch(/XOXODAY_WEBHOOK_KEY: .*alphanumeric/);
    expect(stderr).not.toContain("short-jwt-secret-canary");
    expect(stderr).not.toContain("not alphanumeric!");
    expect(stderr).not.toContain("abc");
  });

  it("refuses an unknown NODE_ENV rather than silently running without production safeguards", async () => {
    expect(await typo.exited).toBe(1);
    expect(listed(typo.stderr())).toContain("NODE_ENV");
  });
});
