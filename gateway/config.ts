import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { Database, DatabaseTimeouts } from '../lib/db/openDatabase';
import { MIN_SUBGRAPH_SECRET_LENGTH } from '../lib/gatewaySignature';
import type { AuditCheckpointConfig } from '../lib/audit/checkpoints/auditCheckpointer';
import { type DestinationStream, LOG_LEVELS, type LogLevel } from '../lib/log/logger';
import { GATEWAY_SERVICE_NAME } from '../lib/tracing/spanNames';
import type { TracingSettings } from '../lib/tracing/tracing';
import { otlpEndpointVariable, serviceNameVariable } from '../lib/tracing/tracingEnv';
import { MIN_METRICS_TOKEN_LENGTH } from '../lib/metrics/metricsAccess';
import { loadAuditCheckpointConfig } from './audit/checkpointConfig';
import { type AuthConfig, loadAuthConfig } from './auth/authConfig';
import type { RateLimitOptions } from './plugins/rateLimit';
import type { PlannerChecks } from './queryPlans/warmQueryPlans';
import type { ExplorerOptions } from './explorer/serveExplorer';
import type { SubgraphTransportOptions } from './transport/subgraphTransport';
import { SUPERGRAPH_PATH } from '../schemas/loadSubgraphSdl';
import { TRUSTED_DOCUMENTS_PATH } from '../schemas/trustedDocumentManifest';
import { TRUSTED_DOCUMENT_MODES, type TrustedDocumentMode } from './plugins/trustedDocuments';
import { SUBGRAPH_NAMES, type SubgraphName } from '../schemas/subgraphs';
import { readSecretFiles, secretFilesShape } from '../lib/config/secretFiles';

/** The gateway's secrets, each of which may be given as a file instead, `<NAME>_FILE` (lib/config/secretFiles.ts). */
const GATEWAY_SECRETS = ['SUBGRAPH_SECRET', 'READINESS_TOKEN', 'METRICS_TOKEN', 'DATABASE_URL', 'REDIS_URL'] as const;

/** A readiness token is a secret: as long as the subgraph secret. */
export const MIN_READINESS_TOKEN_LENGTH = MIN_SUBGRAPH_SECRET_LENGTH;

/** Read as Apollo reads its switches: exactly 'true' sets one, any other value leaves it unset. */
const apolloSwitch = z
  .string()
  .optional()
  .transform((v) => v === 'true');

/** Gateway settings, read once at boot from the environment and validated; defaults stated here only. */
export const gatewayEnvSchema = z.object({
  /** @default 4000 */
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** @default '127.0.0.1' */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** `production` turns off introspection and Sandbox. @default 'development' */
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** The Federation 2 supergraph to serve. @default schemas/supergraph.graphql */
  SUPERGRAPH_PATH: z.string().min(1).default(SUPERGRAPH_PATH),
  /** How often the supergraph file is read for a new one (gateway/supergraph/); 0: never. @default 5000 */
  SUPERGRAPH_POLL_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).default(5000),
  /**
   * Documents not in the trusted documents manifest: `off` run, `log` run logged and counted,
   * `enforce` refused (plugins/trustedDocuments.ts). @default 'enforce' in production, else 'off'
   */
  TRUSTED_DOCUMENTS: z.enum(TRUSTED_DOCUMENT_MODES, { error: `use one of ${TRUSTED_DOCUMENT_MODES.join(', ')}` }).optional(),
  /** How long the case binding waits for the court subgraph (GatewayConfig.caseLookupTimeoutMs). @default 5000 */
  CASE_LOOKUP_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5000),
  /** The trusted documents manifest (npm run documents). @default schemas/trustedDocuments.json */
  TRUSTED_DOCUMENTS_PATH: z.string().min(1).default(TRUSTED_DOCUMENTS_PATH),
  /** The audit database (PostgreSQL); without it an embedded PGlite directory. */
  DATABASE_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),
  /** The embedded audit database's directory. @default '.data/audit' (relative to the working directory) */
  AUDIT_DB: z.string().min(1).default('.data/audit'),
  /**
   * Time limits of the database (audit, and in `npm start` the agencies' books), in ms; each
   * unset one takes its default (lib/db/databaseTimeouts.ts): connect 5000, statement 10000,
   * query (the client's wait for an answer, PostgreSQL) statement + 2000, idle in transaction 10000.
   */
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(1).optional(),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(1).optional(),
  DATABASE_QUERY_TIMEOUT_MS: z.coerce.number().int().min(1).optional(),
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(1).optional(),
  REDIS_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),
  /**
   * Proxies whose `x-forwarded-for` names the client (comma-separated addresses, CIDR ranges,
   * or `loopback`, `linklocal`, `uniquelocal`), for limiting unauthenticated traffic per client
   * address. @default '' (none: the socket's address, every forwarded header ignored)
   */
  TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((p) => p.trim()).filter((p) => p !== '')),
  /**
   * In production, the bearer token an operator shows for /readyz's detail (gateway/readiness.ts).
   * Unset: nobody sees it; the answer is only ready or not. An empty value is unset.
   */
  READINESS_TOKEN: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string().min(MIN_READINESS_TOKEN_LENGTH, { error: `must be at least ${MIN_READINESS_TOKEN_LENGTH} characters long` }).optional(),
  ),
  /**
   * In production, the bearer token a scraper shows for /metrics (lib/metrics/metricsAccess.ts).
   * Unset: in production /metrics is 404; in development it is open. An empty value is unset.
   */
  METRICS_TOKEN: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string().min(MIN_METRICS_TOKEN_LENGTH, { error: `must be at least ${MIN_METRICS_TOKEN_LENGTH} characters long` }).optional(),
  ),
  /**
   * Operation names the metrics label as themselves beside the documented ones
   * (schemas/courtOperations.ts), comma-separated GraphQL names; any other is `other`.
   * @default '' (the documented ones only)
   */
  METRICS_OPERATIONS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((name) => name.trim()).filter((name) => name !== ''))
    .pipe(z.array(z.string().regex(/^[_A-Za-z][_0-9A-Za-z]*$/, { error: 'must be comma-separated GraphQL operation names' }))),
  /**
   * The secret the gateway signs subgraph requests with, shared with every subgraph.
   * Required in production; in development a random one per process. An empty value is unset.
   */
  SUBGRAPH_SECRET: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string().min(MIN_SUBGRAPH_SECRET_LENGTH, { error: `must be at least ${MIN_SUBGRAPH_SECRET_LENGTH} characters long` }).optional(),
  ),
  /** How much the gateway logs (lib/log/logger.ts). @default 'info' ('silent' when NODE_ENV is 'test') */
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `use one of ${LOG_LEVELS.join(', ')}` }).optional(),
  /** An OTLP/HTTP collector's base URL: traces are exported there (lib/tracing/tracing.ts). @default none: no traces */
  OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpointVariable,
  /** The `service.name` of the gateway's spans. @default 'court-asset-graph-gateway' */
  OTEL_SERVICE_NAME: serviceNameVariable.default(GATEWAY_SERVICE_NAME),
  /**
   * Turn off Apollo's query-planner safety checks, each only when exactly 'true'. ApolloGateway
   * reads these two from process.env itself (it has no option for them); they are listed here so
   * this schema names every setting, and the start-up warm-up (queryPlans/warmQueryPlans.ts)
   * takes them from the config so that both planners apply the same checks.
   * @default false (the checks are on)
   */
  APOLLO_DISABLE_SECURITY_RECURSIVE_SELECTIONS_CHECK: apolloSwitch,
  APOLLO_DISABLE_SECURITY_NON_LOCAL_SELECTIONS_CHECK: apolloSwitch,
  /** The GraphQL explorer at / (gateway/explorer/). @default 'on' outside production, 'off' in production */
  EXPLORER: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['on', 'off'], { error: 'use on or off' }).optional()),
  /** SUBGRAPH_SECRET_FILE, READINESS_TOKEN_FILE, ...: a file holding the secret (a Docker secret), instead of the variable. */
  ...secretFilesShape(GATEWAY_SECRETS),
});

export interface GatewayConfig {
  /** How tokens are checked (gateway/auth/authConfig.ts). */
  auth: AuthConfig;
  /**
   * Where the audit log lives: a postgres:// URL (DATABASE_URL), a PGlite directory
   * (`pglite:///abs/dir`; npm start uses AUDIT_DB=.data/audit), or undefined for PGlite in memory (tests).
   */
  auditDatabaseUrl: string | undefined;
  /**
   * An audit database already open, instead of `auditDatabaseUrl` (which is then ignored):
   * in one process with PGlite the audit subgraph must read the very database the gateway
   * writes. The gateway does not close a database it was handed; whoever opened it does.
   */
  auditDatabase?: Database;
  /** @default 'audit_log' */
  auditTable?: string;
  /** Time limits of the audit database it opens (DATABASE_*_TIMEOUT_MS). @default DatabaseTimeouts' defaults */
  databaseTimeouts?: DatabaseTimeouts;
  /**
   * Signed checkpoints of the audit chain's head (AUDIT_CHECKPOINT_*, AUDIT_TSA_*;
   * gateway/audit/checkpointConfig.ts). @default none (loadGatewayConfig always sets them)
   */
  auditCheckpoints?: AuditCheckpointConfig;
  /** Shared rate-limit budgets across replicas when set (REDIS_URL); per process otherwise. */
  redisUrl: string | undefined;
  /** Proxies trusted to name the client in `x-forwarded-for` (TRUSTED_PROXIES, plugins/clientAddress.ts). @default [] */
  trustedProxies?: readonly string[];
  /** Rate-limit budgets and key prefix (plugins/rateLimit.ts). @default RATE_LIMIT_DEFAULTS */
  rateLimit?: Omit<RateLimitOptions, 'redis'>;
  port: number;
  host: string;
  production: boolean;
  supergraphPath: string;
  /**
   * How often the supergraph file is read for a new one, applied without a restart if it passes
   * the checks (SUPERGRAPH_POLL_INTERVAL_MS; gateway/supergraph/). 0: never.
   * @default 0 for a config built by hand; loadGatewayConfig: 5000
   */
  supergraphPollIntervalMs?: number;
  /**
   * Trusted documents (TRUSTED_DOCUMENTS, TRUSTED_DOCUMENTS_PATH; plugins/trustedDocuments.ts).
   * loadGatewayConfig sets `enforce` in production. @default { mode: 'off' } for a config built by hand
   */
  trustedDocuments?: { mode: TrustedDocumentMode; manifestPath?: string };
  /**
   * How long the case binding waits for the court subgraph's answer about the stated case,
   * its queueing for a connection included (CASE_LOOKUP_TIMEOUT_MS; caseBinding/caseDirectory.ts).
   * @default 5000
   */
  caseLookupTimeoutMs?: number;
  /** Where each subgraph really runs, overriding the URL written in the supergraph. */
  subgraphUrls: Partial<Record<SubgraphName, string>>;
  /** Signs every subgraph request (lib/gatewaySignature); the subgraphs hold the same. */
  subgraphSecret: string;
  /**
   * How subgraphs are called: keep-alive pools per subgraph origin (gateway/transport), or
   * `'gateway-js'` for gateway-js's own fetcher (kept for comparison measurements).
   * @default pooled, with SUBGRAPH_TRANSPORT_DEFAULTS
   */
  subgraphTransport?: SubgraphTransportOptions | 'gateway-js';
  /**
   * Send identical subgraph reads in flight at the same time once (transport/steps/shareInflightReads.ts).
   * @default true
   */
  shareInflightReads?: boolean;
  /**
   * Answer a query plan's ask for the request's own case from the case record the binding
   * check already read, when it holds everything asked (caseBinding/caseRecordAnswers.ts).
   * @default true
   */
  answerCaseFromRecord?: boolean;
  /**
   * Operations whose query plans are built at start-up, before the first request; those the
   * supergraph cannot run are skipped. @default COURT_OPERATIONS (schemas/courtOperations.ts)
   */
  warmOperations?: readonly string[];
  /** How long `/readyz` waits for the audit store and for each subgraph's `/readyz`. @default 1000 */
  readinessTimeoutMs?: number;
  /**
   * In production `/readyz` answers only `{status}`; its detail (audit store, subgraphs,
   * breakers) goes to a request with `Authorization: Bearer <readinessToken>` (READINESS_TOKEN).
   * In development everyone sees the detail. @default undefined (in production, nobody)
   */
  readinessToken?: string;
  /**
   * In production `/metrics` answers only a request with `Authorization: Bearer <metricsToken>`
   * (METRICS_TOKEN), and is 404 without one; in development it is open. @default undefined
   */
  metricsToken?: string;
  /**
   * Operation names the metrics label as themselves, beside the documented court operations
   * (METRICS_OPERATIONS); every other name is `other`. @default none
   */
  metricsOperations?: readonly string[];
  /**
   * How much it logs (LOG_LEVEL). @default logLevelFromEnv(): a GatewayConfig built by hand
   * (the stack, tests, benchmarks) follows LOG_LEVEL and NODE_ENV as loadGatewayConfig does.
   */
  logLevel?: LogLevel;
  /** Where its log lines go (tests read them). @default standard output */
  logDestination?: DestinationStream;
  /**
   * Its traces (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_SERVICE_NAME): whoever starts the process starts
   * the tracer provider from them (bin/start.ts through the stack). @default none
   */
  tracing?: TracingSettings;
  /**
   * Count and time each request and subgraph call (plugins/metrics.ts, the measureSubgraphCalls
   * step). Only `npm run bench` turns it off, to measure what the series cost; not a setting of a
   * deployment. /metrics still shows the audit writer's and the process's series. @default true
   */
  collectMetrics?: boolean;
  /**
   * Apollo's planner checks the start-up warm-up plans under (APOLLO_DISABLE_SECURITY_*);
   * ApolloGateway reads the same variables itself. @default both checks on
   */
  plannerChecks?: PlannerChecks;
  /**
   * The GraphQL explorer at `/` and for a browser's `GET /graphql` (EXPLORER; gateway/explorer/):
   * its tabs and, outside production, the headers they start with. @default on outside production, off in production
   */
  explorer?: ExplorerOptions;
}

/** A fresh secret for one development process (or one stack): 256 random bits. */
export function randomSubgraphSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** `SUBGRAPH_URL_SOCIAL_INSURANCE=http://...` overrides the social-insurance subgraph's URL. */
export function subgraphUrlVariable(name: SubgraphName): string {
  return `SUBGRAPH_URL_${name.toUpperCase().replace(/-/g, '_')}`;
}

/** LOG_LEVEL, or its default: 'silent' under tests (Jest sets NODE_ENV=test), 'info' elsewhere. */
export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env): LogLevel {
  const parsed = gatewayEnvSchema.pick({ LOG_LEVEL: true }).safeParse(env);
  if (!parsed.success) throw invalidConfiguration(parsed.error);
  return parsed.data.LOG_LEVEL ?? defaultLogLevel(env.NODE_ENV);
}

function defaultLogLevel(nodeEnv: string | undefined): LogLevel {
  return nodeEnv === 'test' ? 'silent' : 'info';
}

function invalidConfiguration(error: z.ZodError): Error {
  const issues = error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  return new Error(`Invalid gateway configuration: ${issues}`);
}

export function loadGatewayConfig(given: NodeJS.ProcessEnv = process.env): GatewayConfig {
  let env: NodeJS.ProcessEnv;
  try {
    env = readSecretFiles(given, GATEWAY_SECRETS);
  } catch (error) {
    throw new Error(`Invalid gateway configuration: ${(error as Error).message}`);
  }
  const parsed = gatewayEnvSchema.safeParse(env);
  if (!parsed.success) throw invalidConfiguration(parsed.error);
  const production = parsed.data.NODE_ENV === 'production';
  if (production && parsed.data.SUBGRAPH_SECRET === undefined) {
    throw new Error(`Invalid gateway configuration: SUBGRAPH_SECRET is required in production (at least ${MIN_SUBGRAPH_SECRET_LENGTH} characters, the same for the gateway and every subgraph)`);
  }
  const subgraphUrls: Partial<Record<SubgraphName, string>> = {};
  for (const name of SUBGRAPH_NAMES) {
    const url = env[subgraphUrlVariable(name)];
    if (url !== undefined) {
      if (!z.url().safeParse(url).success) throw new Error(`Invalid gateway configuration: ${subgraphUrlVariable(name)} is not a URL`);
      subgraphUrls[name] = url;
    }
  }
  return {
    auth: loadAuthConfig(env),
    auditDatabaseUrl: parsed.data.DATABASE_URL ?? `pglite://${encodeURI(resolve(parsed.data.AUDIT_DB))}`,
    databaseTimeouts: {
      connectTimeoutMs: parsed.data.DATABASE_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: parsed.data.DATABASE_STATEMENT_TIMEOUT_MS,
      queryTimeoutMs: parsed.data.DATABASE_QUERY_TIMEOUT_MS,
      idleInTransactionTimeoutMs: parsed.data.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    },
    auditCheckpoints: loadAuditCheckpointConfig(env, { production, databaseUrl: parsed.data.DATABASE_URL, auditDb: parsed.data.AUDIT_DB }),
    redisUrl: parsed.data.REDIS_URL,
    trustedProxies: parsed.data.TRUSTED_PROXIES,
    port: parsed.data.PORT,
    host: parsed.data.HOST,
    production,
    supergraphPath: parsed.data.SUPERGRAPH_PATH,
    supergraphPollIntervalMs: parsed.data.SUPERGRAPH_POLL_INTERVAL_MS,
    caseLookupTimeoutMs: parsed.data.CASE_LOOKUP_TIMEOUT_MS,
    trustedDocuments: { mode: parsed.data.TRUSTED_DOCUMENTS ?? (production ? 'enforce' : 'off'), manifestPath: parsed.data.TRUSTED_DOCUMENTS_PATH },
    subgraphUrls,
    subgraphSecret: parsed.data.SUBGRAPH_SECRET ?? randomSubgraphSecret(),
    readinessToken: parsed.data.READINESS_TOKEN,
    metricsToken: parsed.data.METRICS_TOKEN,
    metricsOperations: parsed.data.METRICS_OPERATIONS,
    logLevel: parsed.data.LOG_LEVEL ?? defaultLogLevel(parsed.data.NODE_ENV),
    tracing: {
      serviceName: parsed.data.OTEL_SERVICE_NAME,
      ...(parsed.data.OTEL_EXPORTER_OTLP_ENDPOINT === undefined ? {} : { otlpEndpoint: parsed.data.OTEL_EXPORTER_OTLP_ENDPOINT }),
    },
    explorer: parsed.data.EXPLORER === undefined ? {} : { enabled: parsed.data.EXPLORER === 'on' },
    plannerChecks: {
      recursiveSelectionsLimitDisabled: parsed.data.APOLLO_DISABLE_SECURITY_RECURSIVE_SELECTIONS_CHECK,
      nonLocalSelectionsLimitDisabled: parsed.data.APOLLO_DISABLE_SECURITY_NON_LOCAL_SELECTIONS_CHECK,
    },
  };
}
