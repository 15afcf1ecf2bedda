import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway } from '@apollo/gateway';
import { openDatabase } from '../lib/db/openDatabase';
import { GATEWAY_SIGNATURE_HEADER, signForSubgraph } from '../lib/gatewaySignature';
import { serveGraphQL, type ServedGraphQL } from '../lib/serveGraphQL';
import { defaultSubgraphUrl } from '../schemas/subgraphUrls';
import { AuditLog } from './audit/auditLog';
import { startTokenVerifier } from './auth/createTokenVerifier';
import { readAccessRules } from './authorization/accessRules';
import { CaseDirectory } from './authorization/caseDirectory';
import type { GatewayConfig } from './config';
import type { GatewayContext } from './context';
import { createLogger } from './log/logger';
import { requestLoggingPlugin } from './log/requestLogging';
import { auditPlugin } from './plugins/audit';
import { authorizationPlugin } from './plugins/authorization';
import { formatInputError } from './plugins/inputErrors';
import { queryLimits } from './plugins/limits';
import { rateLimitPlugin } from './plugins/rateLimit';
import { attachSharedScalars } from './sharedScalars';
import { GATEWAY_SERVICE_IDENTITY, SignedDataSource } from './signedDataSource';

export interface RunningGateway extends ServedGraphQL {
  /** The audit log this gateway writes (for `npm run audit:verify`-style checks in tests). */
  audit: AuditLog;
}

/**
 * The court-facing endpoint: Apollo Gateway on a static supergraph inside Apollo Server.
 * Each cross-cutting concern is one plugin, in this order: request log, query limits,
 * authentication + case-bound authorization, rate limit, audit (written before the answer
 * leaves). Subgraph calls are signed (SignedDataSource).
 */
export async function startGateway(config: GatewayConfig): Promise<RunningGateway> {
  // Access rules come off the supergraph; Apollo Gateway gets it without them (it would
  // refuse security features it does not enforce itself; this gateway enforces them).
  const { rules, executableSdl } = readAccessRules(readFileSync(config.supergraphPath, 'utf8'));
  const verifyToken = await startTokenVerifier(config.auth);
  // A database handed in belongs to the caller (shared with the audit subgraph): never closed here.
  const owned = config.auditDatabase === undefined;
  const db = config.auditDatabase ?? (await openDatabase({ url: config.auditDatabaseUrl }));
  const closeOwned = async () => {
    if (owned) await db.close();
  };
  try {
    const audit = await AuditLog.open(db, { table: config.auditTable });
    const logger = createLogger();
    const limits = queryLimits();
    const urlOf = (name: string, url: string | undefined) => config.subgraphUrls[name as keyof GatewayConfig['subgraphUrls']] ?? url!;

    const gateway = new ApolloGateway({
      supergraphSdl: executableSdl,
      // Every subgraph request is signed; subgraphs answer nothing else (lib/gatewaySignature).
      buildService: ({ name, url }) => new SignedDataSource({ name, url: urlOf(name, url), secret: config.subgraphSecret }),
    });
    gateway.onSchemaLoadOrUpdate(({ apiSchema }) => attachSharedScalars(apiSchema));

    const courtUrl = config.subgraphUrls.court ?? defaultSubgraphUrl('court');
    const cases = new CaseDirectory(courtUrl, async (caseNumber) => ({
      [GATEWAY_SIGNATURE_HEADER]: await signForSubgraph(config.subgraphSecret, {
        requestId: randomUUID(),
        service: `${GATEWAY_SERVICE_IDENTITY}:case-binding`,
        caseNumber,
      }),
    }));

    const served = await serveGraphQL<GatewayContext>({
      port: config.port,
      host: config.host,
      // Never taken from the client: every request gets its own id for subgraphs, agencies and the audit.
      context: async () => ({ requestId: randomUUID() }),
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
          plugins: [
            requestLoggingPlugin({ logger }),
            ...limits.plugins,
            authorizationPlugin({
              rules,
              authenticate: async (authorization) => (authorization === undefined ? undefined : verifyToken(authorization)),
              lookupCase: (caseNumber) => cases.lookup(caseNumber),
            }),
            rateLimitPlugin({ redis: config.redisUrl }),
            auditPlugin({ log: audit }),
            ...plugins,
            ...(config.production ? [ApolloServerPluginLandingPageDisabled()] : []),
          ],
          formatError: formatInputError,
        }),
    });
    return {
      ...served,
      audit,
      stop: async () => {
        await served.stop();
        await closeOwned();
      },
    };
  } catch (error) {
    await closeOwned();
    throw error;
  }
}
