// Finding 5: three connections sending headers slowly stayed open 66 s, slow bodies 75 s even after a 401, and the
// public listener had no connection cap. Every test here is bounded in time (a few seconds at most).
import { connect, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { useTestApp } from "../support/harness.js";

const ROUTER_SECRET = "slow-client-router-secret";
const t = useTestApp({
  env: {
    ROUTER_SECRET,
    HTTP_HEADERS_TIMEOUT_MS: "400",
    HTTP_REQUEST_TIMEOUT_MS: "800",
    HTTP_KEEP_ALIVE_TIMEOUT_MS: "300",
    HTTP_MAX_CONNECTIONS: "6",
    MAX_BODY_BYTES: "4096",
  },
});

interface Client {
  socket: Socket;
  received: () => string;
  /** Resolves with the ms until the server closed the connection (rejects after `withinMs`). */
  closedWithin: (withinMs: number) => Promise<number>;
}

async function open(): Promise<Client> {
  const { hostname, port } = new URL(t.url);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  const started = Date.now();
  let data = "";
  let closedAt: number | null = null;
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => (data += chunk));
  socket.on("error", () => {});
  socket.on("close", () => (closedAt = Date.now()));
  return {
    socket,
    received: () => data,
    closedWithin: async (withinMs) => {
      while (closedAt === null && Date.now() - started < withinMs)
        await new Promise((resolve) => setTimeout(resolve, 20));
      socket.destroy();
      if (closedAt === null) throw new Error(`still open after ${withinMs} ms`);
      return closedAt - started;
    },
  };
}

/** Writes `text` one byte per `everyMs` until the socket closes or `maxMs` passes. */
function drip(socket: Socket, text: string, everyMs: number, maxMs: number): void {
  let i = 0;
  const started = Date.now();
  const timer = setInterval(() => {
    if (socket.destroyed || i >= text.length || Date.now() - started > maxMs) return clearInterval(timer);
    socket.write(text[i++] ?? "");
  }, everyMs);
}

const path = () => new URL(t.url).pathname;

describe("slow clients", () => {
  it("closes three connections sending their headers slowly within the headers timeout (not 66 s)", async () => {
    const clients = await Promise.all([open(), open(), open()]);
    for (const client of clients) {
      client.socket.write(`POST ${path()} HTTP/1.1\r\nhost: x\r\n`);
      drip(client.socket, "x-slow: " + "a".repeat(200), 50, 5_000);
    }
    const times = await Promise.all(clients.map((c) => c.closedWithin(3_000)));
    for (const ms of times) expect(ms).toBeLessThan(2_000);
  });

  it("closes a slow body within the request timeout, router secret or not", async () => {
    const client = await open();
    client.socket.write(
      `POST ${path()} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nrouter-authorization: ${ROUTER_SECRET}\r\ncontent-length: 2000\r\n\r\n`,
    );
    drip(client.socket, `{"query":"{ __typename }","pad":"${"p".repeat(1_900)}`, 20, 10_000);
    expect(await client.closedWithin(4_000)).toBeLessThan(3_000);
  });

  it("answers 401 before the body and closes the connection while the client is still sending", async () => {
    const client = await open();
    client.socket.write(
      `POST ${path()} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 3000\r\n\r\n{"query":"`,
    );
    drip(client.socket, "q".repeat(2_900), 20, 10_000);
    expect(await client.closedWithin(3_000)).toBeLessThan(2_500);
    expect(client.received()).toMatch(/^HTTP\/1\.1 401/);
    expect(client.received().toLowerCase()).toContain("connection: close");
  });

  it("answers 413 to a declared oversize body and closes the connection", async () => {
    const client = await open();
    client.socket.write(
      `POST ${path()} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nrouter-authorization: ${ROUTER_SECRET}\r\ncontent-length: 100000\r\n\r\n{"query":"`,
    );
    drip(client.socket, "q".repeat(5_000), 10, 10_000);
    expect(await client.closedWithin(3_000)).toBeLessThan(2_500);
    expect(client.received()).toMatch(/^HTTP\/1\.1 413/);
  });

  it("caps connections: past HTTP_MAX_CONNECTIONS a new one is closed at once; freed slots serve again", async () => {
    const held = await Promise.all(Array.from({ length: 6 }, () => open()));
    // Started requests (headers begun) hold their connections.
    for (const client of held) client.socket.write(`GET /health HTTP/1.1\r\nhost: x\r\n`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const extra = await open();
    expect(await extra.closedWithin(1_000)).toBeLessThan(1_000);
    for (const client of held) client.socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const response = await fetch(`${new URL(t.url).origin}/health`);
    expect(response.status).toBe(200);
  });
});
