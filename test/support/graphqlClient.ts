// A minimal GraphQL-over-HTTP client for tests (real sockets, undici).
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print, type DocumentNode } from "graphql";
import { request } from "undici";

export interface GraphQLResponse<TData> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  data?: TData | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export async function gql<TData = Record<string, unknown>, TVariables = Record<string, unknown>>(
  url: string,
  document: TypedDocumentNode<TData, TVariables> | DocumentNode | string,
  variables?: TVariables,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<TData>> {
  const query = typeof document === "string" ? document : print(document);
  const response = await request(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.body.text();
  let body: Omit<GraphQLResponse<TData>, "status" | "headers"> = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = { errors: [{ message: `non-JSON response: ${text.slice(0, 200)}` }] };
  }
  return { status: response.statusCode, headers: response.headers, ...body };
}
