import { randomSubgraphSecret } from '../gateway/config';
import { openDatabase } from '../lib/db/openDatabase';
import { AUTH_DEFAULTS, type AuthConfig } from '../gateway/auth/authConfig';
import { type RunningGateway, startGateway } from '../gateway/createGateway';
import type { ServedGraphQL } from '../lib/serveGraphQL';
import { startBankEmulators } from '../mocks/bank/server';
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
  /** Shared rate-limit store. @default REDIS_URL if set, else in memory */
  redisUrl?: string;
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
  stop(): Promise<void>;
}

/**
 * Everything `npm start` runs, in one process: the agency emulators, the seven subgraphs
 * (six agencies and the audit) and the gateway, sharing one audit database. Tests and benchmarks start the same stack on ephemeral ports.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const population = options.population ?? createPopulation({ persons: options.persons, seed: options.seed });
  const latency = options.agencyLatencyMs === undefined ? {} : { latencyMs: options.agencyLatencyMs };
  const started: { stop(): Promise<void> }[] = [];
  const track = <T extends Emulator | ServedGraphQL>(s: T): T => {
    started.push('close' in s ? { stop: () => s.close() } : s);
    return s;
  };
  // One database for the whole stack (PGlite is single-process): the gateway's audit, and the
  // emulated agencies' books in tables of their own. Closed last, after everything using it.
  const auditDatabase = await openDatabase({
    url: 'auditDatabaseUrl' in options ? options.auditDatabaseUrl : process.env.DATABASE_URL || undefined,
  });
  started.push({ stop: () => auditDatabase.close() });
  const prefix = options.agencyTablePrefix ?? '';
  const control = (table: string) => ({
    database: auditDatabase,
    table: `${prefix}${table}`,
    clock: options.clock,
    answerDelayMs: options.agencyAnswerDelayMs,
  });
  try {
    const caseAccount = await CaseAccount.open(auditDatabase, { table: `${prefix}case_receipts`, clock: options.clock });
    // The court first: banks transfer deducted funds to its case account.
    const court = track(await startCourtEmulator(population, { ...latency, caseAccount }));
    const banks = await startBankEmulators(population, {
      ...(options.agencyLatencyMs === undefined ? {} : { latencyMs: Object.fromEntries(population.banks.map((b) => [b.code, options.agencyLatencyMs!])) }),
      control: (code) => control(`measures_bank_${code.toLowerCase()}`),
      courtUrl: court.url,
    });
    Object.values(banks).forEach(track);
    const emulators: Record<string, Emulator> = {
      court,
      ...Object.fromEntries(Object.entries(banks).map(([code, e]) => [`bank:${code}`, e])),
      realestate: track(await startRealEstateEmulator(population, { ...latency, control: control('measures_realestate') })),
      vehicle: track(await startVehicleEmulator(population, { ...latency, control: control('measures_vehicle') })),
      commerce: track(await startCommerceEmulator(population, { ...latency, control: control('measures_commerce') })),
      'social-insurance': track(await startSocialInsuranceEmulator(population, { ...latency, control: control('measures_social_insurance') })),
    };

    const port = (name: SubgraphName) => (options.defaultSubgraphPorts ? DEFAULT_SUBGRAPH_PORTS[name] : 0);
    // One secret per stack: the gateway signs with it, every subgraph checks with it.
    const secret = options.subgraphSecret ?? randomSubgraphSecret();
    const common = { secret, ...(options.agencyTimeoutMs === undefined ? {} : { timeoutMs: options.agencyTimeoutMs }) };
    const subgraphs: Record<SubgraphName, ServedGraphQL> = {
      court: track(await startCourtSubgraph({ agencyUrl: emulators.court!.url, port: port('court'), ...common })),
      bank: track(await startBankSubgraph({
        bankUrls: Object.fromEntries(Object.entries(banks).map(([code, e]) => [code, e.url])),
        port: port('bank'),
        ...common,
      })),
      realestate: track(await startRealEstateSubgraph({ agencyUrl: emulators.realestate!.url, port: port('realestate'), ...common })),
      vehicle: track(await startVehicleSubgraph({ agencyUrl: emulators.vehicle!.url, port: port('vehicle'), ...common })),
      commerce: track(await startCommerceSubgraph({ agencyUrl: emulators.commerce!.url, port: port('commerce'), ...common })),
      'social-insurance': track(await startSocialInsuranceSubgraph({ agencyUrl: emulators['social-insurance']!.url, port: port('social-insurance'), ...common })),
      audit: track(await startAuditSubgraph({
        database: auditDatabase,
        auditTable: options.auditTable,
        courtAgencyUrl: emulators.court!.url,
        port: port('audit'),
        ...common,
      })),
    };

    const gateway = await startGateway({
      port: options.port ?? 0,
      host: '127.0.0.1',
      production: options.production ?? false,
      supergraphPath: SUPERGRAPH_PATH,
      subgraphUrls: Object.fromEntries(Object.entries(subgraphs).map(([name, s]) => [name, s.url])),
      subgraphSecret: secret,
      auth: options.auth ?? { ...AUTH_DEFAULTS, production: options.production ?? false },
      auditDatabaseUrl: undefined,
      auditDatabase,
      auditTable: options.auditTable,
      redisUrl: 'redisUrl' in options ? options.redisUrl : process.env.REDIS_URL || undefined,
    });
    started.push(gateway);

    return {
      population,
      emulators,
      subgraphs,
      gateway,
      subgraphSecret: secret,
      // Stop in reverse: gateway first, so nothing new reaches a stopped subgraph.
      stop: () => stopAll(started),
    };
  } catch (error) {
    await stopAll(started);
    throw error;
  }
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
