// A supergraph runtime for tests: @apollo/gateway fed a statically composed supergraph, calling every subgraph over
// real HTTP (RemoteGraphQLDataSource), so the subgraphs' own HTTP handling (router secret, context) is exercised.
// It shares composition and query planning with the router, not the router's config (docs/federation-notes.md §6.1).
import { ApolloGateway, RemoteGraphQLDataSource } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { composeSupergraph, type SubgraphSource } from "./supergraph.js";

export interface RunningGateway {
  url: string;
  supergraphSdl: string;
  close(): Promise<void>;
}

export interface GatewayOptions {
  subgraphs: SubgraphSource[];
  /** Headers the gateway adds to every subgraph request, e.g. Router-Authorization (what a router header rule does). */
  subgraphHeaders?: Record<string, string>;
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { supergraphSdl } = composeSupergraph(options.subgraphs);
  const subgraphHeaders = Object.entries(options.subgraphHeaders ?? {});
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ url }) =>
      new RemoteGraphQLDataSource({
        ...(url === undefined ? {} : { url }),
        willSendRequest({ request }) {
          for (const [name, value] of subgraphHeaders) request.http?.headers.set(name, value);
        },
      }),
  });
  const server = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: "127.0.0.1" } });
  return { url, supergraphSdl, close: () => server.stop() };
}
