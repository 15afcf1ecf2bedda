/**
 * Bare Apollo Gateway: `@apollo/gateway` in Apollo Server 5's standalone server, default
 * settings, on the same supergraph and subgraphs as this project's gateway.
 *
 * Its one addition is Apollo's documented way of passing a client header on to subgraphs
 * (a RemoteGraphQLDataSource whose willSendRequest copies it): the subgraphs answer only
 * signed requests, and here the load generator signs each request as this project's gateway
 * would (see bench/README.md). Apollo Gateway has no configuration-only header propagation.
 */
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { GATEWAY_SIGNATURE_HEADER } from '../../lib/gatewaySignature';
import { serveChild } from '../lib/child';

interface Context {
  signature?: string;
}

class ForwardSignature extends RemoteGraphQLDataSource<Context> {
  override willSendRequest({ request, context }: { request: { http?: { headers: { set(name: string, value: string): void } } }; context: Context }): void {
    if (context.signature) request.http?.headers.set(GATEWAY_SIGNATURE_HEADER, context.signature);
  }
}

serveChild<{ url: string }>(async (args: { supergraphPath: string }) => {
  const server = new ApolloServer<Context>({
    gateway: new ApolloGateway({
      supergraphSdl: readFileSync(args.supergraphPath, 'utf8'),
      buildService: ({ url }) => new ForwardSignature({ url }),
    }),
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => {
      const signature = req.headers[GATEWAY_SIGNATURE_HEADER];
      return typeof signature === 'string' ? { signature } : {};
    },
  });
  return { info: { url: new URL('/graphql', url).href }, onStop: () => server.stop() };
});
