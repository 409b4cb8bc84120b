// An independent router for tests: Hive Gateway's runtime (@graphql-hive/gateway-runtime) on a real socket, fed a
// supergraph composed here with @theguild/federation-composition (Hive's composition, not Apollo's). Like the
// README's router.yaml it inserts Router-Authorization toward the orders subgraph and propagates the user's
// Authorization header; with `enforceAuthDirectives` it also reads the supergraph's @authenticated/@requiresScopes
// and refuses an operation before any subgraph sees it.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createGatewayRuntime } from "@graphql-hive/gateway-runtime";
import { composeServices } from "@theguild/federation-composition";
import { parse } from "graphql";
import { jwtVerify } from "jose";
import type { SubgraphSource } from "./supergraph.js";

export interface HiveGatewayOptions {
  subgraphs: SubgraphSource[];
  /** Inserted as Router-Authorization on requests to the orders subgraph. */
  routerSecret?: string;
  /** Verify the user's JWT (HS256) and enforce the supergraph's auth directives at the gateway. */
  enforceAuthDirectives?: { secret: string; issuer: string; audience: string };
}

export interface RunningHiveGateway {
  url: string;
  supergraphSdl: string;
  close(): Promise<void>;
}

interface TokenUser {
  sub: string;
  scopes: string[];
}

/** Composes with Hive's composition, or throws with every error. */
export function composeWithHive(subgraphs: SubgraphSource[]): string {
  const result = composeServices(subgraphs.map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) })));
  if (result.errors !== undefined)
    throw new Error(`composition failed:\n${result.errors.map((e) => `- ${e.message}`).join("\n")}`);
  return result.supergraphSdl;
}

export async function startHiveGateway(options: HiveGatewayOptions): Promise<RunningHiveGateway> {
  const supergraphSdl = composeWithHive(options.subgraphs);
  const auth = options.enforceAuthDirectives;
  const gateway = createGatewayRuntime({
    supergraph: supergraphSdl,
    logging: "error",
    // Tests read the subgraph's error codes through the gateway.
    maskedErrors: false,
    propagateHeaders: {
      fromClientToSubgraphs: ({ request, subgraphName }) => {
        const authorization = request.headers.get("authorization");
        return {
          ...(authorization === null ? {} : { authorization }),
          ...(subgraphName === "orders" && options.routerSecret !== undefined
            ? { "router-authorization": options.routerSecret }
            : {}),
        };
      },
    },
    ...(auth === undefined
      ? {}
      : {
          genericAuth: {
            mode: "protect-granular" as const,
            resolveUserFn: async ({ request }: { request: Request }): Promise<TokenUser | null> => {
              const token = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
              if (token === undefined) return null;
              try {
                const { payload } = await jwtVerify(token, new TextEncoder().encode(auth.secret), {
                  issuer: auth.issuer,
                  audience: auth.audience,
                });
                return {
                  sub: String(payload.sub),
                  scopes: typeof payload["scope"] === "string" ? payload["scope"].split(" ") : [],
                };
              } catch {
                return null;
              }
            },
            extractScopes: (user: TokenUser) => user.scopes,
          },
        }),
  });
  // The adapter's Node listener, not the adapter itself (whose call returns a promise http ignores): it answers
  // and logs its own errors.
  const server = createServer(gateway.requestListener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    supergraphSdl,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gateway.dispose();
    },
  };
}
