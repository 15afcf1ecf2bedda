import { z } from 'zod';
import { MIN_SUBGRAPH_SECRET_LENGTH } from '../../lib/gatewaySignature';
import { type MetricsAccess, MIN_METRICS_TOKEN_LENGTH } from '../../lib/metrics/metricsAccess';
import { DEFAULT_SUBGRAPH_PORTS, type SubgraphName } from '../../schemas/subgraphs';
import { subgraphServiceName } from '../../lib/tracing/spanNames';
import type { TracingSettings } from '../../lib/tracing/tracing';
import { otlpEndpointVariable, serviceNameVariable } from '../../lib/tracing/tracingEnv';
import { readSecretFiles, secretFilesShape, secretsAmong } from '../../lib/config/secretFiles';
import { type AgencyResilience, RESILIENCE_ENV, resolveResilience, type ResilienceSettings, type ResilienceVariable } from './agencyPolicy';

/**
 * A subgraph's configuration, read once at start from its environment and validated, so an
 * agency can run its own subgraph without writing code (bin/subgraph.ts). Every subgraph
 * reads the variables below; each agency folder's config.ts adds where its own systems are.
 */

/** An empty variable counts as unset (`FOO=` in an env file), as in gateway/config.ts. */
export const unsetIfEmpty = (value: unknown) => (value === '' ? undefined : value);

/** A whole number within bounds; the message names the bounds and what was given. */
function integerVariable(min: number, max?: number) {
  const range = max === undefined ? `of at least ${min}` : `from ${min} to ${max}`;
  return z.preprocess(unsetIfEmpty, z.string().optional()).transform((raw, ctx) => {
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || (max !== undefined && value > max)) {
      ctx.issues.push({ code: 'custom', message: `must be an integer ${range}, got ${JSON.stringify(raw)}`, input: raw });
      return z.NEVER;
    }
    return value;
  });
}

const baseUrl = z.url({
  protocol: /^https?$/,
  error: (issue) => (issue.input === undefined ? 'is required' : `must be an http:// or https:// URL, got ${JSON.stringify(issue.input)}`),
});

/** The base URL of an agency's system (the emulator's URL locally). */
export const agencyUrl = z.preprocess(unsetIfEmpty, baseUrl);

/** The base URL of a system that has a default (an empty value is unset too). */
export const optionalAgencyUrl = z.preprocess(unsetIfEmpty, baseUrl.optional());

/**
 * How a subgraph calls its agencies: the time budget of one call and the AGENCY_* resilience
 * settings. The latter are listed here so the schema names every variable, and checked by
 * resolveResilience (subgraphs/shared/agencyPolicy.ts), which owns their rules and defaults.
 */
const agencyCallsShape = {
  /** Time budget of one agency call, retries included. @default 5000 (AgencyHttp) */
  AGENCY_TIMEOUT_MS: integerVariable(1),
  ...(Object.fromEntries(Object.values(RESILIENCE_ENV).map((variable) => [variable, z.string().optional()])) as Record<ResilienceVariable, z.ZodOptional<z.ZodString>>),
};

/** The variables every subgraph reads; each agency folder's config.ts adds its own. */
export const SUBGRAPH_ENV = {
  /** The secret the gateway signs subgraph requests with (the gateway's own SUBGRAPH_SECRET). Required. */
  SUBGRAPH_SECRET: z
    .string({ error: (issue) => (issue.input === undefined ? 'is required: the secret the gateway signs subgraph requests with' : undefined) })
    .min(MIN_SUBGRAPH_SECRET_LENGTH, { error: `must be at least ${MIN_SUBGRAPH_SECRET_LENGTH} characters long` }),
  /** @default the subgraph's port in the supergraph (schemas/subgraphs.ts); 0 picks a free one */
  PORT: integerVariable(0, 65535),
  /** @default '127.0.0.1' */
  HOST: z.preprocess(unsetIfEmpty, z.string().default('127.0.0.1')),
  /** `production`: /metrics only with METRICS_TOKEN (none set: 404). @default 'development' */
  NODE_ENV: z.preprocess(unsetIfEmpty, z.enum(['development', 'production', 'test']).default('development')),
  /** The bearer token a scraper shows for /metrics in production, as the gateway's METRICS_TOKEN. @default none */
  METRICS_TOKEN: z.preprocess(
    unsetIfEmpty,
    z.string().min(MIN_METRICS_TOKEN_LENGTH, { error: `must be at least ${MIN_METRICS_TOKEN_LENGTH} characters long` }).optional(),
  ),
  ...agencyCallsShape,
  /** An OTLP/HTTP collector's base URL: the subgraph's traces go there (bin/subgraph.ts). @default none: no traces */
  OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpointVariable,
  /** The `service.name` of its spans. @default court-asset-graph-subgraph-<name> */
  OTEL_SERVICE_NAME: serviceNameVariable,
  /** SUBGRAPH_SECRET_FILE, METRICS_TOKEN_FILE: a file holding the secret (a Docker secret), instead of the variable (lib/config/secretFiles.ts). */
  ...secretFilesShape(['SUBGRAPH_SECRET', 'METRICS_TOKEN']),
};

/** What every subgraph's start options take from its configuration. */
export interface SubgraphSettings {
  secret: string;
  port: number;
  host: string;
  /** @default the clients' own (5000 ms) */
  timeoutMs?: number;
  resilience: ResilienceSettings;
  /** Who may scrape /metrics (lib/metrics/metricsAccess.ts). @default open, as in development */
  metrics?: MetricsAccess;
}

/** The agency call settings alone: what a stack of subgraphs in one process shares. */
export interface AgencyCalls {
  timeoutMs?: number;
  resilience: ResilienceSettings;
}

/** A configuration that cannot start a subgraph; the message names every bad variable. */
export class SubgraphConfigError extends Error {
  override readonly name = 'SubgraphConfigError';

  constructor(
    readonly subject: string,
    /** One line per bad variable, `NAME: what is wrong`. */
    readonly problems: readonly string[],
  ) {
    super(`Invalid configuration of ${subject}: ${problems.join('; ')}`);
  }
}

function problemsOf(error: z.ZodError): string[] {
  return error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')} ${issue.message}` : issue.message));
}

/** resolveResilience's refusal as a configuration problem (its message names the variable). */
function resilienceFrom(env: NodeJS.ProcessEnv, options: AgencyResilience | undefined, problems: string[]): ResilienceSettings | undefined {
  try {
    return resolveResilience(options, env);
  } catch (error) {
    problems.push((error as Error).message.replace(/\.$/, ''));
    return undefined;
  }
}

/**
 * AGENCY_TIMEOUT_MS and AGENCY_* from the environment, under explicit `options` (a stack's or a
 * test's), over the defaults.
 */
export function loadAgencyCalls(env: NodeJS.ProcessEnv, options: { timeoutMs?: number; resilience?: AgencyResilience } = {}): AgencyCalls {
  const parsed = z.object(agencyCallsShape).safeParse(env);
  const problems = parsed.success ? [] : problemsOf(parsed.error);
  const resilience = resilienceFrom(env, options.resilience, problems);
  if (!parsed.success || resilience === undefined) throw new SubgraphConfigError('the agency calls', problems);
  const timeoutMs = options.timeoutMs ?? parsed.data.AGENCY_TIMEOUT_MS;
  return { ...(timeoutMs === undefined ? {} : { timeoutMs }), resilience };
}

/**
 * Reads one subgraph's configuration: the shared variables and `agencyShape`, the agency's own
 * (where its systems are). Every bad or missing variable is named in one SubgraphConfigError,
 * so the process refuses to start instead of failing on a call later.
 */
export function loadSubgraphConfig<TAgency extends z.ZodRawShape>(
  name: SubgraphName,
  agencyShape: TAgency,
  given: NodeJS.ProcessEnv,
): SubgraphSettings & { agency: z.output<z.ZodObject<TAgency>> } {
  // Every secret it reads (the audit's DATABASE_URL too) may come from its <NAME>_FILE.
  let env: NodeJS.ProcessEnv;
  try {
    env = readSecretFiles(given, secretsAmong([...Object.keys(SUBGRAPH_ENV), ...Object.keys(agencyShape)]));
  } catch (error) {
    throw new SubgraphConfigError(`the ${name} subgraph`, [(error as Error).message]);
  }
  const shared = z.object(SUBGRAPH_ENV).safeParse(env);
  const agency = z.object(agencyShape).safeParse(env);
  const problems = [...(shared.success ? [] : problemsOf(shared.error)), ...(agency.success ? [] : problemsOf(agency.error))];
  const resilience = resilienceFrom(env, undefined, problems);
  if (!shared.success || !agency.success || resilience === undefined) throw new SubgraphConfigError(`the ${name} subgraph`, problems);
  const { SUBGRAPH_SECRET, PORT, HOST, NODE_ENV, METRICS_TOKEN, AGENCY_TIMEOUT_MS } = shared.data;
  return {
    secret: SUBGRAPH_SECRET,
    port: PORT ?? DEFAULT_SUBGRAPH_PORTS[name],
    host: HOST,
    ...(NODE_ENV === 'production' || METRICS_TOKEN !== undefined
      ? { metrics: { production: NODE_ENV === 'production', ...(METRICS_TOKEN === undefined ? {} : { token: METRICS_TOKEN }) } }
      : {}),
    ...(AGENCY_TIMEOUT_MS === undefined ? {} : { timeoutMs: AGENCY_TIMEOUT_MS }),
    resilience,
    agency: agency.data,
  };
}

/**
 * A lone subgraph's traces from its environment (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_SERVICE_NAME),
 * for the process that runs it to start its tracer provider with (bin/subgraph.ts).
 */
export function loadSubgraphTracing(name: SubgraphName, env: NodeJS.ProcessEnv): TracingSettings {
  const parsed = z.object({ OTEL_EXPORTER_OTLP_ENDPOINT: SUBGRAPH_ENV.OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_SERVICE_NAME: SUBGRAPH_ENV.OTEL_SERVICE_NAME }).safeParse(env);
  if (!parsed.success) throw new SubgraphConfigError(`the ${name} subgraph`, problemsOf(parsed.error));
  const { OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint, OTEL_SERVICE_NAME: serviceName } = parsed.data;
  return { serviceName: serviceName ?? subgraphServiceName(name), ...(otlpEndpoint === undefined ? {} : { otlpEndpoint }) };
}
