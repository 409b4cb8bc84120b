// Serves GraphQL over node:http with Apollo Server's executeHTTPGraphQLRequest (what startStandaloneServer does,
// with our own body limit and routing around it).
import type { IncomingMessage, ServerResponse } from "node:http";
import { HeaderMap, type ApolloServer, type BaseContext } from "@apollo/server";
import { BodyTooLargeError, readBody } from "../http/readBody.js";
import { sendJson } from "../http/respond.js";

export function createGraphqlHandler<TContext extends BaseContext>(
  apollo: ApolloServer<TContext>,
  options: { maxBodyBytes: number; context: (req: IncomingMessage) => Promise<TContext> },
) {
  return async (req: IncomingMessage, res: ServerResponse, search: string): Promise<void> => {
    let body: unknown;
    if (req.method === "POST") {
      let text: string;
      try {
        text = await readBody(req, options.maxBodyBytes);
      } catch (error) {
        if (!(error instanceof BodyTooLargeError)) throw error;
        sendJson(res, 413, { errors: [{ message: error.message, extensions: { code: "PAYLOAD_TOO_LARGE" } }] });
        return;
      }
      const isJson = (req.headers["content-type"] ?? "").toLowerCase().includes("json");
      if (isJson) {
        try {
          body = text === "" ? undefined : JSON.parse(text);
        } catch {
          sendJson(res, 400, {
            errors: [{ message: "The request body is not valid JSON.", extensions: { code: "BAD_REQUEST" } }],
          });
          return;
        }
      } else {
        body = text;
      }
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
    }
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: (req.method ?? "GET").toUpperCase(), headers, search, body },
      context: () => options.context(req),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === "complete") {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };
}
