/**
 * The one registry of the agencies: for each, the emulators that stand in for its systems, and
 * its subgraph, started either beside them (startStack) or alone from its environment
 * (bin/subgraph.ts). Names and default ports are the registry's data half, in
 * schemas/subgraphs.ts, where the composition and the gateway can read them.
 *
 * Adding an agency: its folder (subgraphs/<name>/ with config.ts, mocks/<name>/), its SDL file,
 * its line in schemas/subgraphs.ts and its entry here (the compiler asks for it).
 */
import type { Database } from '../lib/db/openDatabase';
import { openDatabase } from '../lib/db/openDatabase';
import type { ServedGraphQL } from '../lib/http/serveGraphQL';
import type { MetricsAccess } from '../lib/metrics/metricsAccess';
import { BANK_EMULATORS } from '../mocks/bank/server';
import { startCommerceEmulator } from '../mocks/commerce/server';
import type { CaseAccount } from '../mocks/court/caseAccount';
import { startCourtEmulator } from '../mocks/court/server';
import type { Population } from '../mocks/population';
import { startRealEstateEmulator } from '../mocks/realestate/server';
import type { AgencyControlOptions } from '../mocks/shared/measures/controlDesk';
import type { Emulator } from '../mocks/shared/startEmulator';
import { startSocialInsuranceEmulator } from '../mocks/social-insurance/server';
import { startVehicleEmulator } from '../mocks/vehicle/server';
import { SUBGRAPH_NAMES, type SubgraphName } from '../schemas/subgraphs';
import { startAuditSubgraph } from '../subgraphs/audit';
import { startBankSubgraph } from '../subgraphs/bank';
import { BANK_ENV, bankSubgraphConfig } from '../subgraphs/bank/config';
import { startCommerceSubgraph } from '../subgraphs/commerce';
import { COMMERCE_ENV, commerceSubgraphConfig } from '../subgraphs/commerce/config';
import { startCourtSubgraph } from '../subgraphs/court';
import { COURT_ENV, courtSubgraphConfig } from '../subgraphs/court/config';
import { startRealEstateSubgraph } from '../subgraphs/realestate';
import { REAL_ESTATE_ENV, realEstateSubgraphConfig } from '../subgraphs/realestate/config';
import type { AgencyCalls } from '../subgraphs/shared/subgraphConfig';
import { startSocialInsuranceSubgraph } from '../subgraphs/social-insurance';
import { SOCIAL_INSURANCE_ENV, socialInsuranceSubgraphConfig } from '../subgraphs/social-insurance/config';
import { startVehicleSubgraph } from '../subgraphs/vehicle';
import { VEHICLE_ENV, vehicleSubgraphConfig } from '../subgraphs/vehicle/config';
import { AUDIT_ENV, auditSubgraphConfig } from '../subgraphs/audit/config';

/** What the stack starts the emulators with. */
export interface EmulatorContext {
  population: Population;
  /** A fixed latency for every emulator, when the stack sets one; else each agency's own. */
  latency: { latencyMs?: number };
  /** One agency's (or bank's) measure book, in a table of its own. */
  control(table: string): AgencyControlOptions;
  /** The court's case account, which receives the funds banks deduct. */
  caseAccount: CaseAccount;
  /** The URL of an emulator already started, by its name in `Stack.emulators`. */
  emulatorUrl(name: string): string;
  /** The address emulators listen on. @default '127.0.0.1' (alone in a container: 0.0.0.0) */
  host?: string;
}

/** Starts one emulator on `port` (0: ephemeral). */
export type EmulatorStart = (context: EmulatorContext, port: number) => Promise<Emulator>;

/** What the stack starts a subgraph with. */
export interface SubgraphContext {
  /** The URL of one of the stack's emulators, by its name in `Stack.emulators`. */
  agencyUrl(name: string): string;
  secret: string;
  /** Every subgraph's time budget and resilience towards its agencies. */
  calls: AgencyCalls;
  /** Where the audit subgraph reads the audit log (with PGlite, the gateway's very database). */
  database: Database;
  auditTable?: string;
  /** Who may scrape each subgraph's /metrics (the stack's production flag and METRICS_TOKEN). @default open */
  metrics?: MetricsAccess;
}

export interface SubgraphEntry {
  /** Beside the stack's emulators, on `port` (0: ephemeral). */
  start(context: SubgraphContext, port: number): Promise<ServedGraphQL>;
  /** Alone, from its environment (bin/subgraph.ts): a bad or missing variable refuses the start (SubgraphConfigError). */
  startAlone(env: NodeJS.ProcessEnv): Promise<ServedGraphQL>;
  /** The variables `startAlone` reads beside SUBGRAPH_ENV's, which every subgraph reads (README, "Run one subgraph"). */
  variables: readonly string[];
}

export interface Agency {
  /** The emulators of the agency's systems, by their names in `Stack.emulators`. */
  emulators: Record<string, EmulatorStart>;
  subgraph: SubgraphEntry;
}

export type AgencyName = Exclude<SubgraphName, 'audit'>;

const bankUrls = (context: SubgraphContext) => Object.fromEntries(Object.keys(BANK_EMULATORS).map((code) => [code, context.agencyUrl(`bank:${code}`)]));

export const AGENCIES: Record<AgencyName, Agency> = {
  court: {
    // The court's first (startStack): the banks need its URL.
    emulators: { court: (c, port) => startCourtEmulator(c.population, { ...c.latency, caseAccount: c.caseAccount, port, host: c.host }) },
    subgraph: {
      start: (c, port) => startCourtSubgraph({ agencyUrl: c.agencyUrl('court'), port, secret: c.secret, metrics: c.metrics, ...c.calls }),
      startAlone: (env) => startCourtSubgraph(courtSubgraphConfig(env)),
      variables: Object.keys(COURT_ENV),
    },
  },
  bank: {
    emulators: Object.fromEntries(
      Object.entries(BANK_EMULATORS).map(([code, start]): [string, EmulatorStart] => [
        `bank:${code}`,
        // Banks transfer deducted funds to the court's case account.
        (c, port) => start(c.population, { ...c.latency, port, host: c.host, control: c.control(`measures_bank_${code.toLowerCase()}`), courtUrl: c.emulatorUrl('court') }),
      ]),
    ),
    subgraph: {
      start: (c, port) => startBankSubgraph({ bankUrls: bankUrls(c), port, secret: c.secret, metrics: c.metrics, ...c.calls }),
      startAlone: (env) => startBankSubgraph(bankSubgraphConfig(env)),
      variables: Object.keys(BANK_ENV),
    },
  },
  realestate: {
    emulators: { realestate: (c, port) => startRealEstateEmulator(c.population, { ...c.latency, port, host: c.host, control: c.control('measures_realestate') }) },
    subgraph: {
      start: (c, port) => startRealEstateSubgraph({ agencyUrl: c.agencyUrl('realestate'), port, secret: c.secret, metrics: c.metrics, ...c.calls }),
      startAlone: (env) => startRealEstateSubgraph(realEstateSubgraphConfig(env)),
      variables: Object.keys(REAL_ESTATE_ENV),
    },
  },
  vehicle: {
    emulators: { vehicle: (c, port) => startVehicleEmulator(c.population, { ...c.latency, port, host: c.host, control: c.control('measures_vehicle') }) },
    subgraph: {
      start: (c, port) => startVehicleSubgraph({ agencyUrl: c.agencyUrl('vehicle'), port, secret: c.secret, metrics: c.metrics, ...c.calls }),
      startAlone: (env) => startVehicleSubgraph(vehicleSubgraphConfig(env)),
      variables: Object.keys(VEHICLE_ENV),
    },
  },
  commerce: {
    emulators: { commerce: (c, port) => startCommerceEmulator(c.population, { ...c.latency, port, host: c.host, control: c.control('measures_commerce') }) },
    subgraph: {
      start: (c, port) => startCommerceSubgraph({ agencyUrl: c.agencyUrl('commerce'), port, secret: c.secret, metrics: c.metrics, ...c.calls }),
      startAlone: (env) => startCommerceSubgraph(commerceSubgraphConfig(env)),
      variables: Object.keys(COMMERCE_ENV),
    },
  },
  'social-insurance': {
    emulators: {
      'social-insurance': (c, port) => startSocialInsuranceEmulator(c.population, { ...c.latency, port, host: c.host, control: c.control('measures_social_insurance') }),
    },
    subgraph: {
      start: (c, port) => startSocialInsuranceSubgraph({ agencyUrl: c.agencyUrl('social-insurance'), port, secret: c.secret, metrics: c.metrics, ...c.calls }),
      startAlone: (env) => startSocialInsuranceSubgraph(socialInsuranceSubgraphConfig(env)),
      variables: Object.keys(SOCIAL_INSURANCE_ENV),
    },
  },
};

/**
 * The network operator's subgraph, not an agency's: citizens' access log and supervisors'
 * reviews, read from the gateway's audit log. It asks the agencies themselves (never their
 * subgraphs) whether a case's measures took effect.
 */
export const AUDIT_SUBGRAPH: SubgraphEntry = {
  start: (c, port) =>
    startAuditSubgraph({
      database: c.database,
      auditTable: c.auditTable,
      courtAgencyUrl: c.agencyUrl('court'),
      controlDesks: {
        bankUrls: bankUrls(c),
        realEstateUrl: c.agencyUrl('realestate'),
        vehicleUrl: c.agencyUrl('vehicle'),
        commerceUrl: c.agencyUrl('commerce'),
        socialInsuranceUrl: c.agencyUrl('social-insurance'),
      },
      port,
      secret: c.secret,
      metrics: c.metrics,
      ...c.calls,
    }),
  // Alone it opens the audit log itself (PostgreSQL, or a PGlite directory no gateway holds) and closes it on stop.
  startAlone: async (env) => {
    const { databaseUrl, ...options } = auditSubgraphConfig(env);
    const database = await openDatabase({ url: databaseUrl });
    try {
      const served = await startAuditSubgraph({ ...options, database });
      return {
        ...served,
        stop: async () => {
          await served.stop();
          await database.close();
        },
      };
    } catch (error) {
      await database.close();
      throw error;
    }
  },
  variables: Object.keys(AUDIT_ENV),
};

/** Every subgraph, in the supergraph's order. */
export const SUBGRAPHS: Record<SubgraphName, SubgraphEntry> = Object.fromEntries(
  SUBGRAPH_NAMES.map((name) => [name, name === 'audit' ? AUDIT_SUBGRAPH : AGENCIES[name].subgraph]),
) as Record<SubgraphName, SubgraphEntry>;
