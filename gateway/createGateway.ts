import { randomUUID } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import { ApolloGateway } from '@apollo/gateway';
import type { GraphQLSchema } from 'graphql';
import type { Registry } from 'prom-client';
import { AuditLog } from '../lib/audit/auditLog';
import { type AuditCheckpointer, startAuditCheckpointer } from '../lib/audit/checkpoints/auditCheckpointer';
import { openDatabase } from '../lib/db/openDatabase';
import { createLogger } from '../lib/log/logger';
import { type Readiness, serveGraphQL, type ServedGraphQL } from '../lib/http/serveGraphQL';
import { auditWriteMetrics } from '../lib/metrics/auditWriteMetrics';
import { metricsView } from '../lib/metrics/metricsAccess';
import { createMetricsRegistry } from '../lib/metrics/metricsRegistry';
import { defaultSubgraphUrl } from '../schemas/subgraphUrls';
import { RequestAudit } from './audit/requestAudit';
import { startTokenVerifier } from './auth/createTokenVerifier';
import { answerFromCaseRecord } from './caseBinding/answerFromCaseRecord';
import { COURT_SUBGRAPH, signedCaseDirectory } from './caseBinding/caseDirectory';
import { CASE_RECORD_QUERY } from './caseBinding/caseRecord';
import { CaseRecordAnswers } from './caseBinding/caseRecordAnswers';
import { type GatewayConfig, logLevelFromEnv } from './config';
import type { GatewayContext } from './context';
import { explorerPages } from './explorer/serveExplorer';
import { gatewayPlugins } from './plugins';
import { clientAddressResolver, trustedProxyAddress } from './plugins/clientAddress';
import { formatInputError } from './plugins/inputErrors';
import { queryLimits } from './plugins/limits';
import { labelledOperations } from './plugins/metrics';
import { readTrustedDocumentManifest, TRUSTED_DOCUMENTS_PATH } from '../schemas/trustedDocumentManifest';
import { COURT_OPERATIONS } from '../schemas/courtOperations';
import { QueryPlanStore } from './queryPlans/queryPlanStore';
import { warmQueryPlans, type WarmUpReport } from './queryPlans/warmQueryPlans';
import { gatewayReadiness, readinessView } from './readiness';
import { SupergraphSource, type SupergraphStatus } from './supergraph/supergraphSource';
import { attachSharedScalars } from './sharedScalars';
import { SignedDataSource } from './transport/signedDataSource';
import { SubgraphCallMetrics } from './transport/steps/measureSubgraphCalls';
import { shareReads } from './transport/steps/shareInflightReads';
import { traceSubgraphFetches } from './transport/steps/traceSubgraphCalls';
import { ATTR } from '../lib/tracing/spanNames';
import { createSubgraphTransport, type Fetcher } from './transport/subgraphTransport';

export interface RunningGateway extends ServedGraphQL {
  /** The audit log this gateway writes (for `npm run audit:verify`-style checks in tests). */
  audit: AuditLog;
  /** Signs the audit chain's head on a schedule and on stop (GatewayConfig.auditCheckpoints); none if not configured. */
  checkpoints: AuditCheckpointer | undefined;
  /** What the start-up warm-up planned (`GatewayConfig.warmOperations`). */
  warmUp: WarmUpReport;
  /** Plans more operations now (e.g. the exact text `npm start` prints); nothing is executed. */
  warmQueryPlans(operations: readonly string[]): WarmUpReport;
  /** What `GET /readyz` answers. */
  readiness(): Promise<Readiness>;
  /** Counters for measurements and tests. */
  stats(): GatewayStats;
  /** What `GET /metrics` exposes: this gateway's own registry. */
  metrics: Registry;
}

export interface GatewayStats {
  queryPlans: { hits: number; misses: number; stored: number; size: number };
  /** Subgraph reads answered from an identical read in flight. */
  sharedReads: number;
  /** The supergraph served, and the new files applied and rejected since the start. */
  supergraph: SupergraphStatus;
  /** Court subgraph reads answered from the request's case record (no call). */
  caseRecordAnswers: number;
  /** Connections opened to each subgraph origin (pooled transport only). */
  subgraphConnections: Record<string, number>;
}

/**
 * The court-facing endpoint: Apollo Gateway on a static supergraph inside Apollo Server.
 * Each request is audited from its arrival (audit/requestAudit.ts): an intent made durable
 * before its first outbound call, a final record before any answer leaves, refusals of the
 * HTTP layer included. Each cross-cutting concern is one plugin, in the order of
 * plugins/index.ts; the request's case is bound in caseBinding/. Every subgraph call runs the
 * steps of transport/steps/index.ts (audit gate, the case record, shared reads in flight,
 * signature, error wording) and goes through keep-alive pools (transport/subgraphTransport).
 * The query plans of the court operations are built before the port opens (queryPlans/).
 * `/readyz` reports the supergraph, the audit store and each subgraph's own readiness
 * (readiness.ts); `/metrics` the series of this gateway alone (plugins/metrics.ts, the
 * measureSubgraphCalls step, the audit writer's commits). This function only wires them together.
 *
 * None of this changes what an operation answers: on any Federation 2 supergraph the answers
 * are bare Apollo Gateway's (test/integration/gateway/anySupergraph.test.ts).
 */
export async function startGateway(config: GatewayConfig): Promise<RunningGateway> {
  // Access rules come off the supergraph; Apollo Gateway gets it without them (it would
  // refuse security features it does not enforce itself; this gateway enforces them).
  // Checked now (a bad file refuses the start), then watched for a new one (supergraph/).
  const supergraph = new SupergraphSource(config.supergraphPath);
  const { rules } = supergraph;
  // A supergraph with no access rules (not the court graph) leaves nothing to authorize, so
  // operations go to its subgraphs without a caller, as under bare Apollo Gateway (still
  // audited, as anonymous). With rules, an operation with no verified caller never leaves.
  const requireCaller = rules.size > 0;
  const trustedDocuments = config.trustedDocuments ?? { mode: 'off' };
  const verifyToken = await startTokenVerifier(config.auth);
  // A database handed in belongs to the caller (shared with the audit subgraph): never closed here.
  const owned = config.auditDatabase === undefined;
  const db = config.auditDatabase ?? (await openDatabase({ url: config.auditDatabaseUrl, ...config.databaseTimeouts }));
  const transport = config.subgraphTransport === 'gateway-js' ? undefined : createSubgraphTransport(config.subgraphTransport);
  // Readiness probes of the subgraphs go through the pool too (or a small one of their own).
  const probes = transport ?? createSubgraphTransport({ connectionsPerOrigin: 1 });
  let checkpoints: Awaited<ReturnType<typeof startAuditCheckpointer>> | undefined;
  // This gateway's own registry: a second gateway in the process counts apart.
  const metrics = createMetricsRegistry();
  const closeOwned = async () => {
    // First: its final checkpoint reads the head once every request has been audited.
    await checkpoints?.stop();
    await probes.close();
    if (probes !== transport) await transport?.close();
    if (owned) await db.close();
  };
  try {
    const audit = await AuditLog.open(db, { table: config.auditTable, observer: auditWriteMetrics(metrics) });
    const logger = createLogger({ level: config.logLevel ?? logLevelFromEnv(), ...(config.logDestination ? { destination: config.logDestination } : {}) });
    supergraph.watchWith({ pollIntervalMs: config.supergraphPollIntervalMs, logger, registry: metrics });
    if (config.auditCheckpoints) checkpoints = await startAuditCheckpointer(audit, config.auditCheckpoints, { reporter: logger });
    // Without access rules every caller is anonymous: all are held to the court limits.
    const limits = queryLimits(requireCaller ? {} : { anonymous: false });
    const clientAddressOf = clientAddressResolver(config.trustedProxies);
    const urlOf = (name: string, url: string | undefined) => config.subgraphUrls[name as keyof GatewayConfig['subgraphUrls']] ?? url!;

    if (!requireCaller) logger.warn(`The supergraph ${config.supergraphPath} carries no access rules: operations are forwarded without a verified caller.`);

    const subgraphs: Record<string, string> = {};
    const inflightReads = config.shareInflightReads === false ? undefined : shareReads();
    // The case binding reads the stated case from the court subgraph; a plan's ask for the same case is answered from that.
    const caseRecordAnswers = config.answerCaseFromRecord === false ? undefined : new CaseRecordAnswers(CASE_RECORD_QUERY);
    const queryPlans = new QueryPlanStore();
    const callMetrics = config.collectMetrics === false ? undefined : new SubgraphCallMetrics(metrics);
    const queryPlannerConfig = { cache: queryPlans };
    const gateway = new ApolloGateway({
      supergraphSdl: supergraph,
      queryPlannerConfig,
      // Every subgraph request is signed; subgraphs answer nothing else (lib/gatewaySignature).
      buildService: ({ name, url }) => {
        subgraphs[name] = urlOf(name, url);
        return new SignedDataSource({
          name,
          url: subgraphs[name],
          secret: config.subgraphSecret,
          requireCaller,
          // Nothing is sent for a request before its audit intent is durable.
          requireIntent: true,
          ...(callMetrics ? { callMetrics } : {}),
          ...(transport ? { fetcher: transport.fetcher } : {}),
          ...(inflightReads ? { inflightReads } : {}),
          ...(caseRecordAnswers && name === COURT_SUBGRAPH ? { answerFromCaseRecord: answerFromCaseRecord(caseRecordAnswers) } : {}),
        });
      },
    });
    let schemaLoaded = false;
    let apiSchema: GraphQLSchema | undefined;
    let warmUp: WarmUpReport = { warmed: [], skipped: [], ms: 0 };
    const warm = (operations: readonly string[]): WarmUpReport => {
      if (apiSchema === undefined) throw new Error('The supergraph is not loaded yet.');
      const report = warmQueryPlans({ supergraphSdl: supergraph.current.executableSdl, schema: apiSchema, store: queryPlans, operations, plannerConfig: queryPlannerConfig, checks: config.plannerChecks });
      for (const { operation, reason } of report.skipped) logger.debug(`Query plan of ${operation} not built: ${reason}`);
      return report;
    };
    // In this order: the scalars first (the warm-up validates literals with them). gateway-js
    // calls these inside Apollo Server's start, so the plans are there before the port opens.
    gateway.onSchemaLoadOrUpdate(({ apiSchema: schema }) => attachSharedScalars(schema));
    gateway.onSchemaLoadOrUpdate(({ apiSchema: schema }) => {
      apiSchema = schema;
      schemaLoaded = true;
      warmUp = warm(config.warmOperations ?? COURT_OPERATIONS);
    });
    let stopping = false;
    const readiness = gatewayReadiness({
      schemaLoaded: () => schemaLoaded,
      stopping: () => stopping,
      pingAuditStore: async () => void (await db.query('SELECT 1')),
      // Those of the supergraph served now (a reload may add or remove some).
      subgraphs: () => Object.fromEntries(Object.entries(subgraphs).filter(([name]) => supergraph.current.subgraphNames.has(name))),
      askSubgraph: (url, timeoutMs) => probes.readiness(url, timeoutMs),
      timeoutMs: config.readinessTimeoutMs,
    });

    // The case binding reads the stated case from the court subgraph through the same pool.
    const cases = signedCaseDirectory({
      url: config.subgraphUrls.court ?? defaultSubgraphUrl(COURT_SUBGRAPH),
      secret: config.subgraphSecret,
      // Traced like the plan's calls: the lookup joins the request's trace.
      fetcher: traceSubgraphFetches(COURT_SUBGRAPH, transport?.fetcher ?? (fetch as unknown as Fetcher)),
      timeoutMs: config.caseLookupTimeoutMs,
    });

    const served = await serveGraphQL<GatewayContext, RequestAudit>({
      port: config.port,
      host: config.host,
      // Never taken from the client: every request gets its own id for subgraphs, agencies and the audit.
      // Its audit too, as it arrives: whatever is answered, from here or from Apollo Server, is recorded first.
      arrive: () => new RequestAudit({ log: audit, requestId: randomUUID() }),
      context: async (req, arrival) => {
        if (arrival === undefined) throw new Error('A gateway request without its audit.');
        arrival.context.clientAddress = clientAddressOf(req);
        return arrival.context;
      },
      // A trusted reverse proxy speaks for many clients: it is not held to one client's connections.
      httpLimits: { uncappedClient: trustedProxyAddress(config.trustedProxies) },
      readiness,
      readinessView: readinessView({ production: config.production, token: config.readinessToken }),
      metrics: { registry: metrics, view: metricsView({ production: config.production, token: config.metricsToken }) },
      // A SERVER span per request (lib/tracing/serverSpan.ts): the court's code, never the officer.
      tracing: {
        server: 'gateway',
        attributes: (context) => ({ [ATTR.requestId]: context.requestId, [ATTR.court]: context.caller?.kind === 'court' ? context.caller.court : undefined }),
      },
      // The explorer at / (gateway/explorer/): off in production unless EXPLORER=on.
      pages: explorerPages(config.explorer ?? {}, config.production),
      createServer: (plugins) =>
        new ApolloServer<GatewayContext>({
          gateway,
          logger,
          introspection: !config.production,
          includeStacktraceInErrorResponses: false,
          // bin/start.ts owns the process signals and stops every server in order.
          stopOnTerminationSignals: false,
          validationRules: limits.validationRules,
          parseOptions: limits.parseOptions,
          allowBatchedHttpRequests: limits.allowBatchedHttpRequests,
          plugins: gatewayPlugins({
            logger,
            limits,
            rateLimit: { ...config.rateLimit, redis: config.redisUrl },
            // Only names the deployment knows become labels (plugins/metrics.ts).
            metrics: config.collectMetrics === false ? undefined : { registry: metrics, operationNames: labelledOperations(COURT_OPERATIONS, config.metricsOperations) },
            trustedDocuments: {
              mode: trustedDocuments.mode,
              manifest: trustedDocuments.mode === 'off' ? new Map() : readTrustedDocumentManifest(trustedDocuments.manifestPath ?? TRUSTED_DOCUMENTS_PATH),
              logger,
              registry: metrics,
            },
            authorization: {
              rules,
              authenticate: async (authorization) => (authorization === undefined ? undefined : verifyToken(authorization)),
              lookupCase: (caseNumber, requestId) => cases.lookup(caseNumber, requestId),
            },
            server: plugins,
          }),
          formatError: formatInputError,
        }),
    });
    return {
      ...served,
      audit,
      checkpoints: checkpoints?.checkpointer,
      warmUp,
      warmQueryPlans: warm,
      readiness,
      metrics,
      stats: () => ({
        queryPlans: { ...queryPlans.stats, size: queryPlans.size },
        sharedReads: inflightReads?.followers ?? 0,
        caseRecordAnswers: caseRecordAnswers?.answered ?? 0,
        supergraph: supergraph.status(),
        subgraphConnections: transport?.connectionsOpened() ?? {},
      }),
      stop: async () => {
        // Not ready from now on; Apollo Server's drain lets requests in flight finish first.
        stopping = true;
        await served.stop();
        await closeOwned();
      },
    };
  } catch (error) {
    await closeOwned();
    throw error;
  }
}
