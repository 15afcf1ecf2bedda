/**
 * Hive Gateway (`@graphql-hive/gateway`), its runtime in Node's HTTP server as Hive documents
 * for Node.js, default settings, on the same supergraph and subgraphs. Its one setting is
 * Hive's `propagateHeaders` for the signature the load generator puts on each request (see
 * bench/README.md).
 */
import { createRequire } from 'node:module';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GATEWAY_SIGNATURE_HEADER } from '../../lib/gatewaySignature';
import { serveChild } from '../lib/child';

/**
 * The slice of Hive Gateway's API this bench uses. Loaded untyped on purpose: its typings
 * (graphql-yoga) augment graphql-js's error extensions for the whole program, which would
 * retype the project's own errors; only this process uses Hive.
 */
interface HiveGateway {
  createGatewayRuntime(options: {
    supergraph: string;
    propagateHeaders: { fromClientToSubgraphs(context: { request: Request }): Record<string, string | null> };
  }): RequestListener & { dispose(): Promise<void> };
}
const { createGatewayRuntime } = createRequire(__filename)('@graphql-hive/gateway') as HiveGateway;

serveChild<{ url: string }>(async (args: { supergraphPath: string }) => {
  const gateway = createGatewayRuntime({
    supergraph: args.supergraphPath,
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) => ({ [GATEWAY_SIGNATURE_HEADER]: request.headers.get(GATEWAY_SIGNATURE_HEADER) }),
    },
  });
  const server = createServer(gateway);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    info: { url: `http://127.0.0.1:${port}/graphql` },
    onStop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gateway.dispose();
    },
  };
});
