import type { AuditCheckpointConfig } from '../lib/audit/checkpoints/auditCheckpointer';
import { type GatewayConfig, randomSubgraphSecret } from '../gateway/config';
import { type Database, type DatabaseTimeouts, openDatabase } from '../lib/db/openDatabase';
import { AUTH_DEFAULTS, type AuthConfig } from '../gateway/auth/authConfig';
import { type RunningGateway, startGateway } from '../gateway/createGateway';
import type { ServedGraphQL } from '../lib/http/serveGraphQL';
import { CaseAccount } from '../mocks/court/caseAccount';
import { createPopulation, type Population } from '../mocks/population';
import type { Emulator } from '../mocks/shared/startEmulator';
import { SUPERGRAPH_PATH } from '../schemas/loadSubgraphSdl';
import { DEFAULT_SUBGRAPH_PORTS, SUBGRAPH_NAMES, type SubgraphName } from '../schemas/subgraphs';
import type { AgencyResilience } from '../subgraphs/shared/agencyPolicy';
import { loadAgencyCalls } from '../subgraphs/shared/subgraphConfig';
import { AGENCIES, type AgencyName, type EmulatorContext, type EmulatorStart, SUBGRAPHS } from './agencies';
import type { MetricsAccess } from '../lib/metrics/metricsAccess';
import { startTracing, type TracingSettings } from '../lib/tracing/tracing';

export interface StackOptions {
  /** @default DEFAULT_PERSONS */
  persons?: number;
  seed?: number;
  /** A ready population, so several stacks (or a test) share one. */
  population?: Population;
  /** Gateway port. @default 0 (ephemeral) */
  port?: number;
  /** Subgraphs on their default ports (schemas/subgraphs.ts) as written in the supergraph; else ephemeral. @default false */
  defaultSubgraphPorts?: boolean;
  /** Agency latency in ms for every emulator, overriding each agency's own. */
  agencyLatencyMs?: number;
  /** Per-agency call time limit in the subgraphs. @default AGENCY_TIMEOUT_MS, else the clients' own (5000) */
  agencyTimeoutMs?: number;
  /** Retries, breaker and pool towards the agencies (subgraphs/shared/agencyPolicy.ts). @default the AGENCY_* variables, else its defaults */
  agencyResilience?: AgencyResilience;
  production?: boolean;
  /** The secret the gateway signs subgraph requests with, given to gateway and subgraphs. @default random per stack */
  subgraphSecret?: string;
  /** How the gateway checks tokens. @default the development issuer */
  auth?: AuthConfig;
  /**
   * The audit database, opened once and shared by the gateway (which writes it) and the
   * audit subgraph (which reads it). @default DATABASE_URL if set, else PGlite in memory
   */
  auditDatabaseUrl?: string;
  /** @default 'audit_log' */
  auditTable?: string;
  /** Signed checkpoints of the audit chain (npm start: the development key and directory). @default none */
  auditCheckpoints?: AuditCheckpointConfig;
  /** Time limits of the stack's database (lib/db/databaseTimeouts.ts). @default their defaults */
  databaseTimeouts?: DatabaseTimeouts;
  /** Shared rate-limit store. @default REDIS_URL if set, else in memory */
  redisUrl?: string;
  /** Prefix of the rate-limit keys, so stacks sharing one Redis count apart. @default RATE_LIMIT_DEFAULTS.keyPrefix */
  rateLimitKeyPrefix?: string;
  /** The bearer token that shows /readyz's detail in production (GatewayConfig.readinessToken). @default none */
  readinessToken?: string;
  /** The bearer token that opens the gateway's /metrics in production (GatewayConfig.metricsToken). @default none */
  metricsToken?: string;
  /** How much the gateway logs (GatewayConfig.logLevel). @default LOG_LEVEL, else 'info' ('silent' under tests) */
  logLevel?: GatewayConfig['logLevel'];
  /** Apollo's planner checks, as ApolloGateway reads them (GatewayConfig.plannerChecks). @default both on */
  plannerChecks?: GatewayConfig['plannerChecks'];
  /** Which documents the gateway runs (GatewayConfig.trustedDocuments). @default off */
  trustedDocuments?: GatewayConfig['trustedDocuments'];
  /** How often the gateway looks for a new supergraph file (GatewayConfig.supergraphPollIntervalMs). @default never */
  supergraphPollIntervalMs?: number;
  /** How long the case binding waits for the court subgraph (GatewayConfig.caseLookupTimeoutMs). @default 5000 */
  caseLookupTimeoutMs?: number;
  /** Where the gateway's log lines go (GatewayConfig.logDestination). @default standard output */
  logDestination?: GatewayConfig['logDestination'];
  /**
   * The process's traces: an OTLP endpoint (npm start: OTEL_EXPORTER_OTLP_ENDPOINT) or an exporter
   * of the caller's (tests: an in-memory one). The stack starts the tracer provider first and
   * stops it (flushing) after everything else. @default none: no traces
   */
  tracing?: TracingSettings;
  /** The gateway's explorer: its tabs and headers (GatewayConfig.explorer). @default on outside production, the documented operations */
  explorer?: GatewayConfig['explorer'];
  /** The agencies' clock (terms, answers, expiry); tests move it by hand. @default the wall clock */
  clock?: () => Date;
  /** How long agencies take to answer a control request. @default 0 (at once) */
  agencyAnswerDelayMs?: number;
  /**
   * Prefix of the tables the emulated agencies keep their books in (measure books, the court's
   * case account), so several stacks can share one PostgreSQL. @default ''
   */
  agencyTablePrefix?: string;
}

export interface Stack {
  population: Population;
  /** Agency emulators by name: court, bank:NCB, bank:HZCB, bank:RCC, bank:WEB, realestate, vehicle, commerce, social-insurance. */
  emulators: Record<string, Emulator>;
  subgraphs: Record<SubgraphName, ServedGraphQL>;
  gateway: RunningGateway;
  /** The secret gateway and subgraphs share; a test needs it to call a subgraph directly. */
  subgraphSecret: string;
  /** The stack's database: the audit, the agencies' measure books and the court's case account. */
  database: Database;
  /**
   * Stops one subgraph and its agency emulators and starts them again on the same ports over
   * the same database, as after a crash: what they had accepted must still be there.
   */
  restart(subgraph: AgencyName): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Everything `npm start` runs, in one process: the agency emulators, the seven subgraphs
 * (six agencies and the audit) and the gateway, sharing one database. Tests and benchmarks
 * start the same stack on ephemeral ports.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  // One provider for the process: gateway and subgraphs tell their spans apart by `cag.server`.
  const population = options.population ?? createPopulation({ persons: options.persons, seed: options.seed });
  const latency = options.agencyLatencyMs === undefined ? {} : { latencyMs: options.agencyLatencyMs };
  const tracing = options.tracing ? startTracing(options.tracing) : undefined;
  // One database for the whole stack (PGlite is single-process): the gateway's audit, and the
  // emulated agencies' books in tables of their own. Closed last, after everything using it.
  const database = await openDatabase({
    url: 'auditDatabaseUrl' in options ? options.auditDatabaseUrl : process.env.DATABASE_URL || undefined,
    ...options.databaseTimeouts,
  }).catch(async (error: unknown) => {
    // A stack that never started leaves no provider registered for the next one.
    await tracing?.stop();
    throw error;
  });
  const prefix = options.agencyTablePrefix ?? '';
  const control = (table: string) => ({ database, table: `${prefix}${table}`, clock: options.clock, answerDelayMs: options.agencyAnswerDelayMs });
  const emulators: Record<string, Emulator> = {};
  const subgraphs = {} as Record<SubgraphName, ServedGraphQL>;
  let gateway: RunningGateway | undefined;
  // Stop in reverse: gateway first, so nothing new reaches a stopped subgraph; the database last.
  const stop = () =>
    stopAll([
      ...(tracing ? [tracing] : []),
      { stop: () => database.close() },
      ...Object.values(emulators).map((e) => ({ stop: () => e.close() })),
      ...Object.values(subgraphs),
      ...(gateway ? [gateway] : []),
    ]);

  try {
    const caseAccount = await CaseAccount.open(database, { table: `${prefix}case_receipts`, clock: options.clock });
    const context: EmulatorContext = { population, latency, control, caseAccount, emulatorUrl: (name) => emulators[name]!.url };
    /** How each emulator starts, on a given port (0: ephemeral), by its name. */
    const emulatorStarts: Record<string, (port: number) => Promise<Emulator>> = Object.fromEntries(
      Object.values(AGENCIES).flatMap((agency) => Object.entries(agency.emulators).map(([name, start]: [string, EmulatorStart]) => [name, (port: number) => start(context, port)])),
    );
    // The court first: the banks need its URL.
    emulators.court = await emulatorStarts.court!(0);
    await Promise.all(
      Object.entries(emulatorStarts)
        .filter(([name]) => name !== 'court')
        .map(async ([name, start]) => {
          emulators[name] = await start(0);
        }),
    );

    // One secret per stack: the gateway signs with it, every subgraph checks with it.
    const secret = options.subgraphSecret ?? randomSubgraphSecret();
    /** How each subgraph starts, on a given port, against the emulators' current URLs. */
    const subgraphStarts = subgraphStarters({
      agencyUrl: (name) => emulators[name]!.url,
      secret,
      database,
      auditTable: options.auditTable,
      agencyTimeoutMs: options.agencyTimeoutMs,
      agencyResilience: options.agencyResilience,
      // The subgraphs' /metrics are locked as the gateway's: in production only with the token.
      metrics: { production: options.production ?? false, token: options.metricsToken },
    });
    for (const [name, start] of Object.entries(subgraphStarts) as [SubgraphName, (port: number) => Promise<ServedGraphQL>][]) {
      subgraphs[name] = await start(options.defaultSubgraphPorts ? DEFAULT_SUBGRAPH_PORTS[name] : 0);
    }

    gateway = await startGateway({
      port: options.port ?? 0,
      host: '127.0.0.1',
      production: options.production ?? false,
      supergraphPath: SUPERGRAPH_PATH,
      subgraphUrls: Object.fromEntries(Object.entries(subgraphs).map(([name, s]) => [name, s.url])),
      subgraphSecret: secret,
      auth: options.auth ?? { ...AUTH_DEFAULTS, production: options.production ?? false },
      auditDatabaseUrl: undefined,
      auditDatabase: database,
      auditTable: options.auditTable,
      auditCheckpoints: options.auditCheckpoints,
      redisUrl: 'redisUrl' in options ? options.redisUrl : process.env.REDIS_URL || undefined,
      ...(options.rateLimitKeyPrefix ? { rateLimit: { keyPrefix: options.rateLimitKeyPrefix } } : {}),
      readinessToken: options.readinessToken,
      metricsToken: options.metricsToken,
      logLevel: options.logLevel,
      plannerChecks: options.plannerChecks,
      trustedDocuments: options.trustedDocuments,
      supergraphPollIntervalMs: options.supergraphPollIntervalMs,
      caseLookupTimeoutMs: options.caseLookupTimeoutMs,
      logDestination: options.logDestination,
      explorer: options.explorer,
    });

    const portOf = (served: { url: string }) => Number(new URL(served.url).port);
    return {
      population,
      emulators,
      subgraphs,
      gateway,
      subgraphSecret: secret,
      database,
      async restart(name) {
        const agencyEmulators = Object.keys(AGENCIES[name].emulators);
        const subgraphPort = portOf(subgraphs[name]);
        await subgraphs[name].stop();
        const ports = Object.fromEntries(agencyEmulators.map((e) => [e, portOf(emulators[e]!)]));
        for (const e of agencyEmulators) await emulators[e]!.close();
        for (const e of agencyEmulators) emulators[e] = await emulatorStarts[e]!(ports[e]!);
        subgraphs[name] = await subgraphStarts[name](subgraphPort);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

export interface SubgraphStartOptions {
  /** The URL of an agency emulator by its name in `Stack.emulators` (court, bank:NCB, ..., social-insurance). */
  agencyUrl(name: string): string;
  secret: string;
  /** Where the audit subgraph reads the audit log. */
  database: Database;
  auditTable?: string;
  /** @default AGENCY_TIMEOUT_MS, else the clients' own (5000) */
  agencyTimeoutMs?: number;
  /** @default the AGENCY_* variables, else RESILIENCE_DEFAULTS */
  agencyResilience?: AgencyResilience;
  /** Who may scrape each subgraph's /metrics. @default open */
  metrics?: MetricsAccess;
}

/**
 * How each of the seven subgraphs starts on a given port (0: ephemeral), against its agencies
 * (the registry's starters, stack/agencies.ts): startStack runs them beside the emulators; the
 * benchmark runs them in a process of their own. The agency call settings are read here, once,
 * from the process's environment under the explicit options, as `npm run subgraph` reads them.
 */
export function subgraphStarters(options: SubgraphStartOptions): Record<SubgraphName, (port: number) => Promise<ServedGraphQL>> {
  const context = {
    agencyUrl: options.agencyUrl,
    secret: options.secret,
    calls: loadAgencyCalls(process.env, { timeoutMs: options.agencyTimeoutMs, resilience: options.agencyResilience }),
    database: options.database,
    auditTable: options.auditTable,
    metrics: options.metrics,
  };
  return Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, (port: number) => SUBGRAPHS[name].start(context, port)])) as Record<
    SubgraphName,
    (port: number) => Promise<ServedGraphQL>
  >;
}

/** Stops everything in reverse order, even past a failure; then throws the first failure. */
async function stopAll(started: { stop(): Promise<void> }[]): Promise<void> {
  let failure: unknown;
  for (const s of [...started].reverse()) {
    try {
      await s.stop();
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== undefined) throw failure;
}
