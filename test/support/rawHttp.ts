// HTTP/1.1 over a raw socket, for tests that need control a client library hides: keep-alive connections that
// stay open across a shutdown, requests sent in two halves (so the server holds a started, not idle, connection).
import { connect, type Socket } from "node:net";

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface RawConnection {
  socket: Socket;
  /** Sends the request line and headers except the blank line that ends them (the request has started). */
  begin(method: string, path: string, body?: string, headers?: Record<string, string>): void;
  /** Ends the headers and sends the body; resolves with the response. */
  finish(): Promise<RawResponse>;
  /** Whether the server has closed the connection. */
  closed(): boolean;
  destroy(): void;
}

export async function openRawConnection(origin: string): Promise<RawConnection> {
  const { hostname, port } = new URL(origin);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("error", reject);
  });
  let buffer = "";
  let ended = false;
  let pendingBody = "";
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => (buffer += chunk));
  socket.on("close", () => (ended = true));
  socket.on("error", () => (ended = true));

  const parse = (): RawResponse | null => {
    const headEnd = buffer.indexOf("\r\n\r\n");
    if (headEnd < 0) return null;
    const [statusLine = "", ...lines] = buffer.slice(0, headEnd).split("\r\n");
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(":");
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers["content-length"] ?? "NaN");
    const body = buffer.slice(headEnd + 4);
    if (!Number.isFinite(length) || Buffer.byteLength(body) < length) return null;
    buffer = body.slice(length);
    return { status: Number(statusLine.split(" ")[1]), headers, body: body.slice(0, length) };
  };

  return {
    socket,
    begin(method, path, body = "", headers = {}) {
      pendingBody = body;
      const all = {
        host: hostname,
        "content-type": "application/json",
        "content-length": String(Buffer.byteLength(body)),
        ...headers,
      };
      socket.write(
        `${method} ${path} HTTP/1.1\r\n${Object.entries(all)
          .map(([k, v]) => `${k}: ${v}\r\n`)
          .join("")}`,
      );
    },
    async finish(): Promise<RawResponse> {
      socket.write(`\r\n${pendingBody}`);
      for (;;) {
        const response = parse();
        if (response !== null) return response;
        if (ended) throw new Error(`connection closed before a complete response: ${JSON.stringify(buffer)}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    closed: () => ended,
    destroy: () => socket.destroy(),
  };
}
