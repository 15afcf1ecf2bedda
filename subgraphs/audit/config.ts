/**
 * The audit subgraph's configuration from its environment, as each agency folder's config.ts
 * has its own.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import type { AuditSubgraphOptions } from '.';
import { BANK_CONFIGS } from '../bank/banks';
import { bankUrlVariable } from '../bank/config';
import { agencyUrl, loadSubgraphConfig, optionalAgencyUrl, SubgraphConfigError, unsetIfEmpty } from '../shared/subgraphConfig';

/** The banks the audit asks about measures: those that take measures online. */
const CONTROLLING_BANKS = BANK_CONFIGS.filter((bank) => bank.controlPrefix !== undefined);

/**
 * The agencies' control interfaces, by the variables their own subgraphs read: all or none
 * (none: only a case's closure shows its requests to a citizen).
 */
const CONTROL_DESK_ENV = {
  ...(Object.fromEntries(CONTROLLING_BANKS.map((bank) => [bankUrlVariable(bank), optionalAgencyUrl])) as Record<string, typeof optionalAgencyUrl>),
  REALESTATE_URL: optionalAgencyUrl,
  VEHICLE_URL: optionalAgencyUrl,
  COMMERCE_URL: optionalAgencyUrl,
  SOCIAL_INSURANCE_URL: optionalAgencyUrl,
};

/** The audit subgraph's own variables, beside the ones every subgraph reads (subgraphConfig.ts). */
export const AUDIT_ENV = {
  /** Base URL of the court case system (case status and debtors). */
  COURT_URL: agencyUrl,
  ...CONTROL_DESK_ENV,
  /** The audit log on PostgreSQL, the one the gateway writes. */
  DATABASE_URL: z.preprocess(unsetIfEmpty, z.string().optional()),
  /** Without DATABASE_URL: the gateway's PGlite directory (one process at a time may open it). @default '.data/audit' */
  AUDIT_DB: z.preprocess(unsetIfEmpty, z.string().default('.data/audit')),
};

export interface AuditSubgraphConfig extends Omit<AuditSubgraphOptions, 'database'> {
  /** Where the audit log is: a postgres:// URL or `pglite:///abs/dir`. */
  databaseUrl: string;
}

/** The audit subgraph's start options from its environment; a bad or missing variable is refused by name. */
export function auditSubgraphConfig(env: NodeJS.ProcessEnv): AuditSubgraphConfig {
  const { agency, ...settings } = loadSubgraphConfig('audit', AUDIT_ENV, env);
  const urls = agency as Record<string, string | undefined>;
  const desks = Object.keys(CONTROL_DESK_ENV);
  const given = desks.filter((variable) => urls[variable] !== undefined);
  if (given.length > 0 && given.length < desks.length) {
    const missing = desks.filter((variable) => urls[variable] === undefined);
    throw new SubgraphConfigError('the audit subgraph', missing.map((variable) => `${variable} is required with the other control interfaces (${given.join(', ')}): all or none`));
  }
  const desk = (variable: string) => urls[variable]!;
  return {
    ...settings,
    courtAgencyUrl: agency.COURT_URL,
    ...(given.length === 0
      ? {}
      : {
          controlDesks: {
            bankUrls: Object.fromEntries(CONTROLLING_BANKS.map((bank) => [bank.urlKey, desk(bankUrlVariable(bank))])),
            realEstateUrl: desk('REALESTATE_URL'),
            vehicleUrl: desk('VEHICLE_URL'),
            commerceUrl: desk('COMMERCE_URL'),
            socialInsuranceUrl: desk('SOCIAL_INSURANCE_URL'),
          },
        }),
    databaseUrl: agency.DATABASE_URL ?? `pglite://${encodeURI(resolve(agency.AUDIT_DB))}`,
  };
}
