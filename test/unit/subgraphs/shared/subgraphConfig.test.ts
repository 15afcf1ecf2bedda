/**
 * A subgraph's configuration from its environment (subgraphs/shared/subgraphConfig.ts and each
 * agency folder's config.ts): defaults, what each variable becomes, and refusals that name
 * every bad variable, so a subgraph started alone refuses to start rather than fail a call.
 */
import { resolve } from 'node:path';
import { DEFAULT_SUBGRAPH_PORTS } from '../../../../schemas/subgraphs';
import { auditSubgraphConfig } from '../../../../subgraphs/audit/config';
import { bankSubgraphConfig } from '../../../../subgraphs/bank/config';
import { commerceSubgraphConfig } from '../../../../subgraphs/commerce/config';
import { courtSubgraphConfig } from '../../../../subgraphs/court/config';
import { realEstateSubgraphConfig } from '../../../../subgraphs/realestate/config';
import { AgencyChannels } from '../../../../subgraphs/shared/agencyChannels';
import { RESILIENCE_DEFAULTS } from '../../../../subgraphs/shared/agencyPolicy';
import { loadAgencyCalls, SubgraphConfigError } from '../../../../subgraphs/shared/subgraphConfig';
import { socialInsuranceSubgraphConfig } from '../../../../subgraphs/social-insurance/config';
import { vehicleSubgraphConfig } from '../../../../subgraphs/vehicle/config';

const SECRET = 'a-subgraph-secret-of-at-least-32-characters';
const BANKS = { BANK_URL_NCB: 'http://ncb:1', BANK_URL_HZCB: 'http://hzcb:2', BANK_URL_RCC: 'http://rcc:3', BANK_URL_WEB: 'https://web:4' };
const DESKS = { BANK_URL_NCB: 'http://ncb:1', BANK_URL_HZCB: 'http://hzcb:2', BANK_URL_WEB: 'https://web:4', REALESTATE_URL: 'http://re:5', VEHICLE_URL: 'http://ve:6', COMMERCE_URL: 'http://co:7', SOCIAL_INSURANCE_URL: 'http://si:8' };

/** The refusal's problems, one per bad variable. */
function problems(load: () => unknown): readonly string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof SubgraphConfigError) return error.problems;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('subgraph configuration', () => {
  it('needs only the secret and where the agency is; the rest defaults, the port to the one in the supergraph', () => {
    expect(vehicleSubgraphConfig({ SUBGRAPH_SECRET: SECRET, VEHICLE_URL: 'http://registry:8080' })).toEqual({
      secret: SECRET,
      agencyUrl: 'http://registry:8080',
      port: DEFAULT_SUBGRAPH_PORTS.vehicle,
      host: '127.0.0.1',
      resilience: RESILIENCE_DEFAULTS,
    });
    expect(courtSubgraphConfig({ SUBGRAPH_SECRET: SECRET, COURT_URL: 'http://court' })).toMatchObject({ agencyUrl: 'http://court', port: 4001 });
    expect(realEstateSubgraphConfig({ SUBGRAPH_SECRET: SECRET, REALESTATE_URL: 'http://re' })).toMatchObject({ agencyUrl: 'http://re', port: 4003 });
    expect(commerceSubgraphConfig({ SUBGRAPH_SECRET: SECRET, COMMERCE_URL: 'http://co' })).toMatchObject({ agencyUrl: 'http://co', port: 4005 });
  });

  it('reads PORT, HOST, AGENCY_TIMEOUT_MS and the AGENCY_* resilience settings; an empty value is unset', () => {
    const config = vehicleSubgraphConfig({
      SUBGRAPH_SECRET: SECRET,
      VEHICLE_URL: 'https://registry.example/jdc',
      PORT: '0',
      HOST: '0.0.0.0',
      AGENCY_TIMEOUT_MS: '1500',
      AGENCY_RETRIES: '0',
      AGENCY_BREAKER_FAILURES: '3',
      AGENCY_MAX_CONNECTIONS: '',
    });
    expect(config).toEqual({
      secret: SECRET,
      agencyUrl: 'https://registry.example/jdc',
      port: 0,
      host: '0.0.0.0',
      timeoutMs: 1500,
      resilience: { ...RESILIENCE_DEFAULTS, retries: 0, breakerFailures: 3 },
    });
    expect(vehicleSubgraphConfig({ SUBGRAPH_SECRET: SECRET, VEHICLE_URL: 'http://r', PORT: '', HOST: '' })).toMatchObject({ port: 4004, host: '127.0.0.1' });
  });

  it('names every bad or missing variable at once, and never repeats the secret', () => {
    expect(problems(() => vehicleSubgraphConfig({}))).toEqual(['SUBGRAPH_SECRET is required: the secret the gateway signs subgraph requests with', 'VEHICLE_URL is required']);
    const bad = problems(() =>
      vehicleSubgraphConfig({ SUBGRAPH_SECRET: 'short secret', VEHICLE_URL: 'registry:8080', PORT: '70000', AGENCY_TIMEOUT_MS: '1.5', AGENCY_BREAKER_FAILURES: '0' }),
    );
    expect(bad).toEqual([
      'SUBGRAPH_SECRET must be at least 32 characters long',
      'PORT must be an integer from 0 to 65535, got "70000"',
      'AGENCY_TIMEOUT_MS must be an integer of at least 1, got "1.5"',
      'VEHICLE_URL must be an http:// or https:// URL, got "registry:8080"',
      'AGENCY_BREAKER_FAILURES must be an integer of at least 1, got 0',
    ]);
    expect(() => vehicleSubgraphConfig({ SUBGRAPH_SECRET: 'short secret' })).toThrow(/^Invalid configuration of the vehicle subgraph: SUBGRAPH_SECRET .*; VEHICLE_URL is required$/);
    expect(bad.join(' ')).not.toContain('short secret');
    expect(problems(() => vehicleSubgraphConfig({ SUBGRAPH_SECRET: SECRET, VEHICLE_URL: 'http://r', AGENCY_BACKOFF_INITIAL_MS: '500' }))).toEqual([
      'AGENCY_BACKOFF_MAX_MS (unset, its default 200) must not be below AGENCY_BACKOFF_INITIAL_MS (500)',
    ]);
  });

  it('the bank subgraph needs every bank of the network, each by its own variable', () => {
    expect(bankSubgraphConfig({ SUBGRAPH_SECRET: SECRET, ...BANKS })).toMatchObject({
      bankUrls: { NCB: 'http://ncb:1', HZCB: 'http://hzcb:2', RCC: 'http://rcc:3', WEB: 'https://web:4' },
      port: 4002,
    });
    const { BANK_URL_RCC: _rcc, ...threeBanks } = BANKS;
    expect(problems(() => bankSubgraphConfig({ SUBGRAPH_SECRET: SECRET, ...threeBanks }))).toEqual(['BANK_URL_RCC is required']);
  });

  it('the social insurance subgraph asks the fund centre at the bureau unless HOUSING_FUND_URL says otherwise', () => {
    expect(socialInsuranceSubgraphConfig({ SUBGRAPH_SECRET: SECRET, SOCIAL_INSURANCE_URL: 'http://si', HOUSING_FUND_URL: '' })).not.toHaveProperty('fundCentreUrl');
    expect(socialInsuranceSubgraphConfig({ SUBGRAPH_SECRET: SECRET, SOCIAL_INSURANCE_URL: 'http://si', HOUSING_FUND_URL: 'http://fund' })).toMatchObject({
      agencyUrl: 'http://si',
      fundCentreUrl: 'http://fund',
      port: 4006,
    });
    expect(problems(() => socialInsuranceSubgraphConfig({ SUBGRAPH_SECRET: SECRET, SOCIAL_INSURANCE_URL: 'http://si', HOUSING_FUND_URL: 'fund' }))).toEqual([
      'HOUSING_FUND_URL must be an http:// or https:// URL, got "fund"',
    ]);
  });

  it('the audit subgraph reads the court, the agencies\' control interfaces (all or none) and the audit log', () => {
    expect(auditSubgraphConfig({ SUBGRAPH_SECRET: SECRET, COURT_URL: 'http://court', DATABASE_URL: 'postgres://audit' })).toEqual({
      secret: SECRET,
      courtAgencyUrl: 'http://court',
      databaseUrl: 'postgres://audit',
      port: 4007,
      host: '127.0.0.1',
      resilience: RESILIENCE_DEFAULTS,
    });
    expect(auditSubgraphConfig({ SUBGRAPH_SECRET: SECRET, COURT_URL: 'http://court', AUDIT_DB: 'here', ...DESKS })).toMatchObject({
      databaseUrl: `pglite://${encodeURI(resolve('here'))}`,
      controlDesks: {
        bankUrls: { NCB: 'http://ncb:1', HZCB: 'http://hzcb:2', WEB: 'https://web:4' },
        realEstateUrl: 'http://re:5',
        vehicleUrl: 'http://ve:6',
        commerceUrl: 'http://co:7',
        socialInsuranceUrl: 'http://si:8',
      },
    });
    expect(auditSubgraphConfig({ SUBGRAPH_SECRET: SECRET, COURT_URL: 'http://court' }).databaseUrl).toBe(`pglite://${encodeURI(resolve('.data/audit'))}`);
    const { VEHICLE_URL: _vehicle, ...someDesks } = DESKS;
    expect(problems(() => auditSubgraphConfig({ SUBGRAPH_SECRET: SECRET, COURT_URL: 'http://court', ...someDesks }))).toEqual([
      expect.stringMatching(/^VEHICLE_URL is required with the other control interfaces \(BANK_URL_NCB, .*\): all or none$/),
    ]);
  });

  it('agency call settings: explicit options over the environment over the defaults', () => {
    expect(loadAgencyCalls({})).toEqual({ resilience: RESILIENCE_DEFAULTS });
    expect(loadAgencyCalls({ AGENCY_TIMEOUT_MS: '900', AGENCY_RETRIES: '4', AGENCY_BREAKER_FAILURES: '9' }, { timeoutMs: 2000, resilience: { retries: 1 } })).toEqual({
      timeoutMs: 2000,
      resilience: { ...RESILIENCE_DEFAULTS, retries: 1, breakerFailures: 9 },
    });
    expect(() => loadAgencyCalls({ AGENCY_KEEP_ALIVE_MS: 'soon' })).toThrow('Invalid configuration of the agency calls: AGENCY_KEEP_ALIVE_MS must be an integer of at least 1, got soon');
  });

  it('a subgraph\'s agency channels do not read the environment behind its configuration\'s back', () => {
    const before = process.env.AGENCY_RETRIES;
    process.env.AGENCY_RETRIES = '7';
    try {
      expect(new AgencyChannels({ pooled: false }).settings.retries).toBe(RESILIENCE_DEFAULTS.retries);
      expect(new AgencyChannels({ pooled: false, env: process.env }).settings.retries).toBe(7);
    } finally {
      if (before === undefined) delete process.env.AGENCY_RETRIES;
      else process.env.AGENCY_RETRIES = before;
    }
  });
});
