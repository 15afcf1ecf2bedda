import type { AuditCheckpointConfig } from '../gateway/audit/auditCheckpoints';
import { randomSubgraphSecret } from '../gateway/config';
import { type Database, type DatabaseTimeouts, openDatabase } from '../lib/db/openDatabase';
import { AUTH_DEFAULTS, type AuthConfig } from '../gateway/auth/authConfig';
import { type RunningGateway, startGateway } from '../gateway/createGateway';
import type { ServedGraphQL } from '../lib/serveGraphQL';
import { BANK_EMULATORS } from '../mocks/bank/server';
import { startCommerceEmulator } from '../mocks/commerce/server';
import { CaseAccount } from '../mocks/court/caseAccount';
import { startCourtEmulator } from '../mocks/court/server';
import { createPopulation, type Population } from '../mocks/population';
import { startRealEstateEmulator } from '../mocks/realestate/server';
import type { Emulator } from '../mocks/shared/startEmulator';
import { startSocialInsuranceEmulator } from '../mocks/social-insurance/server';
import { startVehicleEmulator } from '../mocks/vehicle/server';
import { SUPERGRAPH_PATH, type SubgraphName } from '../schemas/loadSubgraphSdl';
import { DEFAULT_SUBGRAPH_PORTS } from '../schemas/subgraphUrls';
import { startAuditSubgraph } from '../subgraphs/audit';
import type { AgencyResilience } from '../subgraphs/shared/agencyPolicy';
import { startBankSubgraph } from '../subgraphs/bank';
import { startCommerceSubgraph } from '../subgraphs/commerce';
import { startCourtSubgraph } from '../subgraphs/court';
import { startRealEstateSubgraph } from '../subgraphs/realestate';
import { startSocialInsuranceSubgraph } from '../subgraphs/social-insurance';
import { startVehicleSubgraph } from '../subgraphs/vehicle';

export interface StackOptions {
  /** @default DEFAULT_PERSONS */
  persons?: number;
  seed?: number;
  /** A ready population, so several stacks (or a test) share one. */
  population?: Population;
  /** Gateway port. @default 0 (ephemeral) */
  port?: number;
  /** Subgraphs on their default ports (4001-4007) as written in the supergraph; else ephemeral. @default false */
  defaultSubgraphPorts?: boolean;
  /** Agency latency in ms for every emulator, overriding each agency's own. */
  agencyLatencyMs?: number;
  /** Per-agency call time limit in the subgraphs. */
  agencyTimeoutMs?: number;
  /** Retries, breaker and pool towards the agencies (subgraphs/shared/agencyPolicy.ts). @default its defaults, or AGENCY_* variables */
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
  restart(subgraph: Exclude<SubgraphName, 'audit'>): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Everything `npm start` runs, in one process: the agency emulators, the seven subgraphs
 * (six agencies and the audit) and the gateway, sharing one database. Tests and benchmarks
 * start the same stack on ephemeral ports.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const population = options.population ?? createPopulation({ persons: options.persons, seed: options.seed });
  const latency = options.agencyLatencyMs === undefined ? {} : { latencyMs: options.agencyLatencyMs };
  // One database for the whole stack (PGlite is single-process): the gateway's audit, and the
  // emulated agencies' books in tables of their own. Closed last, after everything using it.
  const database = await openDatabase({
    url: 'auditDatabaseUrl' in options ? options.auditDatabaseUrl : process.env.DATABASE_URL || undefined,
    ...options.databaseTimeouts,
  });
  const prefix = options.agencyTablePrefix ?? '';
  const control = (table: string) => ({ database, table: `${prefix}${table}`, clock: options.clock, answerDelayMs: options.agencyAnswerDelayMs });
  const emulators: Record<string, Emulator> = {};
  const subgraphs = {} as Record<SubgraphName, ServedGraphQL>;
  let gateway: RunningGateway | undefined;
  // Stop in reverse: gateway first, so nothing new reaches a stopped subgraph; the database last.
  const stop = () =>
    stopAll([
      { stop: () => database.close() },
      ...Object.values(emulators).map((e) => ({ stop: () => e.close() })),
      ...Object.values(subgraphs),
      ...(gateway ? [gateway] : []),
    ]);

  try {
    const caseAccount = await CaseAccount.open(database, { table: `${prefix}case_receipts`, clock: options.clock });
    /** How each emulator starts, on a given port (0: ephemeral). */
    const emulatorStarts: Record<string, (port: number) => Promise<Emulator>> = {
      court: (port) => startCourtEmulator(population, { ...latency, caseAccount, port }),
      ...Object.fromEntries(
        Object.entries(BANK_EMULATORS).map(([code, start]) => [
          `bank:${code}`,
          // Banks transfer deducted funds to the court's case account.
          (port: number) => start(population, { ...latency, port, control: control(`measures_bank_${code.toLowerCase()}`), courtUrl: emulators.court!.url }),
        ]),
      ),
      realestate: (port) => startRealEstateEmulator(population, { ...latency, port, control: control('measures_realestate') }),
      vehicle: (port) => startVehicleEmulator(population, { ...latency, port, control: control('measures_vehicle') }),
      commerce: (port) => startCommerceEmulator(population, { ...latency, port, control: control('measures_commerce') }),
      'social-insurance': (port) => startSocialInsuranceEmulator(population, { ...latency, port, control: control('measures_social_insurance') }),
    };
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
        const agencyEmulators = Object.keys(emulators).filter((e) => e === name || e.startsWith(`${name}:`));
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
  agencyTimeoutMs?: number;
  agencyResilience?: AgencyResilience;
}

/**
 * How each of the seven subgraphs starts on a given port (0: ephemeral), against its agencies:
 * startStack runs them beside the emulators; the benchmark runs them in a process of their own.
 */
export function subgraphStarters(options: SubgraphStartOptions): Record<SubgraphName, (port: number) => Promise<ServedGraphQL>> {
  const url = options.agencyUrl;
  const common = {
    secret: options.secret,
    ...(options.agencyTimeoutMs === undefined ? {} : { timeoutMs: options.agencyTimeoutMs }),
    ...(options.agencyResilience === undefined ? {} : { resilience: options.agencyResilience }),
  };
  return {
    court: (port) => startCourtSubgraph({ agencyUrl: url('court'), port, ...common }),
    bank: (port) => startBankSubgraph({ bankUrls: Object.fromEntries(Object.keys(BANK_EMULATORS).map((code) => [code, url(`bank:${code}`)])), port, ...common }),
    realestate: (port) => startRealEstateSubgraph({ agencyUrl: url('realestate'), port, ...common }),
    vehicle: (port) => startVehicleSubgraph({ agencyUrl: url('vehicle'), port, ...common }),
    commerce: (port) => startCommerceSubgraph({ agencyUrl: url('commerce'), port, ...common }),
    'social-insurance': (port) => startSocialInsuranceSubgraph({ agencyUrl: url('social-insurance'), port, ...common }),
    // The audit asks the agencies themselves (never their subgraphs) whether a case's measures took effect.
    audit: (port) =>
      startAuditSubgraph({
        database: options.database,
        auditTable: options.auditTable,
        courtAgencyUrl: url('court'),
        controlDesks: {
          bankUrls: Object.fromEntries(Object.keys(BANK_EMULATORS).map((code) => [code, url(`bank:${code}`)])),
          realEstateUrl: url('realestate'),
          vehicleUrl: url('vehicle'),
          commerceUrl: url('commerce'),
          socialInsuranceUrl: url('social-insurance'),
        },
        port,
        ...common,
      }),
  };
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
