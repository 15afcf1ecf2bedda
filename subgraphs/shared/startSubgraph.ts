import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { Kind } from 'graphql';
import type { IncomingMessage } from 'node:http';
import { loadSubgraphSdl } from '../../schemas/loadSubgraphSdl';
import type { SubgraphName } from '../../schemas/subgraphs';
import { scalarResolvers } from '../../schemas/scalars';
import { GATEWAY_SIGNATURE_HEADER, GatewaySignatureError, MIN_SUBGRAPH_SECRET_LENGTH, verifyFromGateway } from '../../lib/gatewaySignature';
import { type Admission, serveGraphQL, type ServedGraphQL } from '../../lib/http/serveGraphQL';
import { type MetricsAccess, metricsView } from '../../lib/metrics/metricsAccess';
import { createMetricsRegistry } from '../../lib/metrics/metricsRegistry';
import type { AgencyChannels } from './agencyChannels';
import { registerAgencyMetrics } from './agencyMetrics';
import { withAgencyHeaders } from './agencyHeaders';
import { enforceEntityPolicies, type EntityPolicyOptions } from './entityPolicy';
import type { GraphQLResolverMap, SubgraphResolverMap } from './resolverMap';
import { signedOperationPlugin } from './signedOperation';
import type { SignedContext, SignedRequest } from './signedRequest';
import { formattedError } from '../../lib/errors/codedError';

/** Room for the gateway's signature on top of ordinary headers. */
const SIGNED_HEADER_LIMIT_BYTES = 64 * 1024;

export interface StartSubgraphOptions<TContext extends SignedContext> {
  name: SubgraphName;
  resolvers: SubgraphResolverMap<TContext>;
  /**
   * The secret the gateway signs requests with (lib/gatewaySignature): a request without a
   * valid, unexpired `x-gateway-signature` is refused with 401 before any resolver runs.
   */
  secret: string;
  /**
   * Builds the per-request context: fresh DataLoaders for every request. `signed` is the
   * request's verified claims; `startSubgraph` puts them on the context as `context.signed`.
   */
  context(signed: SignedRequest, req: IncomingMessage): Omit<TContext, 'signed'> | Promise<Omit<TContext, 'signed'>>;
  /** @default 0 (ephemeral) */
  port?: number;
  host?: string;
  /**
   * The subgraph's channels to its agencies: their breaker states are shown at /readyz, and
   * they are closed (pooled sockets and all) when the subgraph stops.
   */
  channels?: AgencyChannels;
  /** Who holds each asset entity the subgraph resolves (see enforceEntityPolicies). @default none */
  assetHolders?: EntityPolicyOptions['assetHolders'];
  /**
   * Who may scrape `/metrics` (SubgraphSettings.metrics: NODE_ENV, METRICS_TOKEN).
   * @default open, as in development (a stack in one process, tests)
   */
  metrics?: MetricsAccess;
}

/**
 * A subgraph answers only the gateway: the request's signature is verified before its body
 * is read; its claims become the request's `context.signed`, and their court, officer, case
 * and request id the headers every agency call of the request carries.
 */
async function admitGatewayOnly(secret: string, req: IncomingMessage, verified: WeakMap<IncomingMessage, SignedRequest>): Promise<Admission> {
  const header = req.headers[GATEWAY_SIGNATURE_HEADER];
  try {
    const claims = await verifyFromGateway(secret, Array.isArray(header) ? undefined : header);
    verified.set(req, claims);
    return { admitted: true, within: (next) => withAgencyHeaders(claims, next) };
  } catch (error) {
    if (!(error instanceof GatewaySignatureError)) throw error;
    return { admitted: false, status: 401, body: { errors: [formattedError('UNAUTHENTICATED', error.message)] } };
  }
}

/** Builds a subgraph's schema from its SDL file, with the shared scalars, and serves it. */
export function buildSchemaFor<TContext>(name: SubgraphName, resolvers: SubgraphResolverMap<TContext>) {
  const typeDefs = loadSubgraphSdl(name);
  const declared = new Set(
    typeDefs.definitions.flatMap((d) => (d.kind === Kind.SCALAR_TYPE_DEFINITION ? [d.name.value] : [])),
  );
  const scalars = Object.fromEntries(Object.entries(scalarResolvers).filter(([scalar]) => declared.has(scalar)));
  return buildSubgraphSchema({ typeDefs, resolvers: { ...scalars, ...resolvers } as GraphQLResolverMap<unknown> });
}

/** Serves a subgraph; stopping it also closes its channels to its agencies. */
export async function startSubgraph<TContext extends SignedContext>(options: StartSubgraphOptions<TContext>): Promise<ServedGraphQL> {
  const { channels } = options;
  try {
    const served = await serve(options);
    return {
      ...served,
      stop: async () => {
        // After the drain: no request of this subgraph is calling an agency any more.
        await served.stop();
        await channels?.close();
      },
    };
  } catch (error) {
    await channels?.close();
    throw error;
  }
}

async function serve<TContext extends SignedContext>(options: StartSubgraphOptions<TContext>): Promise<ServedGraphQL> {
  if (options.secret.length < MIN_SUBGRAPH_SECRET_LENGTH) {
    throw new Error(`The ${options.name} subgraph's secret must be at least ${MIN_SUBGRAPH_SECRET_LENGTH} characters long.`);
  }
  // Claims admitted, by request, until its context is built (admission and context are two steps of serveGraphQL).
  const verified = new WeakMap<IncomingMessage, SignedRequest>();
  // Asset data answers only for the debtors the gateway signed (@policy case_debtor, asset entities).
  const schema = enforceEntityPolicies(buildSchemaFor(options.name, options.resolvers), { assetHolders: options.assetHolders });
  // This subgraph's own registry: its agencies' calls, acts, breakers and pools (agencyMetrics.ts).
  const registry = createMetricsRegistry();
  if (options.channels) registerAgencyMetrics(registry, options.channels);
  return serveGraphQL<TContext>({
    // Its one client is the gateways' pools (64 connections each): room for several replicas.
    httpLimits: { maxConnectionsPerClient: 1024 },
    createServer: (plugins) =>
      new ApolloServer<TContext>({
        schema,
        // No Apollo Studio here: federated tracing would only add bytes to every answer.
        plugins: [...plugins, signedOperationPlugin<TContext>(), ApolloServerPluginInlineTraceDisabled()],
        // Agencies' internals never reach a court; the gateway shows coded errors.
        includeStacktraceInErrorResponses: false,
        // The process's entry point (bin/start.ts, bin/subgraph.ts) owns the signals and stops every server in order.
        stopOnTerminationSignals: false,
      }),
    context: async (req) => {
      const signed = verified.get(req);
      // Unreachable: every request is admitted with its claims before its context is built.
      if (signed === undefined) throw new Error('A subgraph request reached its context without verified claims.');
      return { ...(await options.context(signed, req)), signed } as TContext;
    },
    admit: (req) => admitGatewayOnly(options.secret, req, verified),
    // The signature names the subjects of a bulk sweep (up to 1000 identifiers, ~30 KiB).
    maxHeaderSize: SIGNED_HEADER_LIMIT_BYTES,
    port: options.port,
    host: options.host,
    // An open breaker is reported but leaves the subgraph ready: taking it out of rotation
    // would cost every field it serves, while open it still answers all but that agency's
    // fields at once, with coded errors. Ready therefore means the subgraph is up.
    readiness: async () => ({ ready: true, checks: { agencies: options.channels?.report() ?? {} } }),
    metrics: { registry, view: metricsView(options.metrics ?? { production: false }) },
    // A SERVER span per request, continuing the gateway's trace (its traceparent).
    tracing: { server: options.name },
  });
}
