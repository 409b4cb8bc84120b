// Minimal node:http plumbing: bounded body reading and reply writing.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { SimReply } from "./responses.js";

const MAX_BODY_BYTES = 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) {
      req.destroy();
      throw new Error("request body too large");
    }
    chunks.push(buffer);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer).toString("utf8") : Buffer.concat(chunks).toString("utf8");
}

export type ParsedBody = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly raw: string };

export function parseJson(raw: string): ParsedBody {
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch {
    return { ok: false, raw };
  }
}

/** What the call log keeps: the parsed JSON, the raw text otherwise, null when empty. */
export function loggedBody(parsed: ParsedBody): unknown {
  if (parsed.ok) return parsed.value;
  return parsed.raw === "" ? null : parsed.raw;
}

export function sendReply(res: ServerResponse, reply: SimReply): void {
  if (res.destroyed || res.writableEnded) return;
  const payload = reply.kind === "json" ? JSON.stringify(reply.body) : reply.text;
  res.writeHead(reply.status, {
    "content-type": reply.kind === "json" ? "application/json; charset=utf-8" : reply.contentType,
    "content-length": Buffer.byteLength(payload),
  });
  res.end(payload);
}
