// A TCP port on 127.0.0.1 that nothing listens on, for "the other side is unreachable" cases.
import { once } from "node:events";
import { createServer } from "node:net";

/** Binds an ephemeral port, then releases it: connections to it are refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return address.port;
}
