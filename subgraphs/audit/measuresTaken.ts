import DataLoader from 'dataloader';
import { BANK_CONFIGS } from '../bank/banks';
import { BANK_AGENCY } from '../bank/clients/bankApi';
import { COMMERCE_AGENCY, COMMERCE_CONTROL_PREFIX } from '../commerce/client';
import { REAL_ESTATE_AGENCY, REAL_ESTATE_CONTROL_PREFIX } from '../realestate/client';
import { SOCIAL_INSURANCE_AGENCY, SOCIAL_INSURANCE_CONTROL_PREFIX } from '../social-insurance/client';
import { VEHICLE_AGENCY, VEHICLE_CONTROL_PREFIX } from '../vehicle/client';
import { AgencyError } from '../shared/agencyError';
import type { AgencyChannels } from '../shared/agencyChannels';
import { type AgencyMeasure, CONTROL_MAX_BATCH, ControlClient } from '../shared/measures/controlClient';

/**
 * Where the audit subgraph reaches every agency's control interface: the same base URLs the
 * agencies' own subgraphs are given. All of them, since a measure at an agency left out would
 * never reveal its case.
 */
export interface ControlDeskUrls {
  /** Each bank's base URL by its URL key, as `startBankSubgraph({ bankUrls })`; banks that take no measure online are not asked. */
  bankUrls: Record<string, string>;
  realEstateUrl: string;
  vehicleUrl: string;
  commerceUrl: string;
  socialInsuranceUrl: string;
}

/**
 * One control client per agency (and per bank that controls online), on the audit
 * subgraph's channels: a breaker and a pool per agency, as in the agencies' own subgraphs.
 */
export function connectControlDesks(urls: ControlDeskUrls, timeoutMs: number | undefined, channels: AgencyChannels): ControlClient[] {
  const desk = (agency: string, baseUrl: string, prefix: string, provider?: string) =>
    new ControlClient({ agency, baseUrl, prefix, timeoutMs, channels, ...(provider === undefined ? {} : { provider }) });
  const unknown = Object.keys(urls.bankUrls).filter((key) => !BANK_CONFIGS.some((b) => b.urlKey === key));
  if (unknown.length > 0) throw new Error(`bankUrls names no bank of the network: ${unknown.join(', ')}.`);
  const banks = BANK_CONFIGS.flatMap((bank) => {
    if (bank.controlPrefix === undefined) return [];
    const baseUrl = urls.bankUrls[bank.urlKey];
    if (baseUrl === undefined) throw new Error(`bankUrls has no URL for bank ${bank.code} (key ${bank.urlKey}), which controls online.`);
    return [desk(BANK_AGENCY, baseUrl, bank.controlPrefix, bank.code)];
  });
  return [
    ...banks,
    desk(REAL_ESTATE_AGENCY, urls.realEstateUrl, REAL_ESTATE_CONTROL_PREFIX),
    desk(VEHICLE_AGENCY, urls.vehicleUrl, VEHICLE_CONTROL_PREFIX),
    desk(COMMERCE_AGENCY, urls.commerceUrl, COMMERCE_CONTROL_PREFIX),
    desk(SOCIAL_INSURANCE_AGENCY, urls.socialInsuranceUrl, SOCIAL_INSURANCE_CONTROL_PREFIX),
  ];
}

/**
 * Per request, by case number: the parties (ID number or credit code) against whom a measure
 * of that case has taken effect, as far as the agencies that answered know.
 */
export type MeasuresTakenLoader = DataLoader<string, ReadonlySet<string>>;

/**
 * A fresh loader for one request: the open cases of an access log go to each agency together
 * (ceil(N / 100) calls per agency), each case once however many records state it.
 */
export function measuresTakenLoader(desks: readonly ControlClient[]): MeasuresTakenLoader {
  return new DataLoader<string, ReadonlySet<string>>((caseNumbers) => partiesReached(desks, caseNumbers), { maxBatchSize: CONTROL_MAX_BATCH });
}

async function partiesReached(desks: readonly ControlClient[], caseNumbers: readonly string[]): Promise<ReadonlySet<string>[]> {
  const answers = await Promise.all(desks.map((desk) => desk.ofCases(caseNumbers).catch(confirmsNothing)));
  return caseNumbers.map((caseNumber) => {
    const taken = answers.flatMap((byCase) => byCase.get(caseNumber) ?? []).filter((m) => m.caseNumber === caseNumber && tookEffect(m));
    return new Set(taken.flatMap((m) => (m.partyKey === null ? [] : [m.partyKey])));
  });
}

/**
 * An agency that cannot answer confirms no measure, so it reveals nothing (fail closed for
 * secrecy); the other agencies' answers still count. Programming errors stay errors.
 */
function confirmsNothing(error: unknown): Map<string, AgencyMeasure[]> {
  if (error instanceof AgencyError) return new Map();
  throw error;
}

/**
 * Whether a measure has taken effect: it has been ACTIVE at some time, so it has a term's
 * start, which it keeps once released, lapsed or disposed. SUBMITTED, WAITING and RETURNED
 * measures have none.
 */
export function tookEffect(measure: AgencyMeasure): boolean {
  return measure.termStart !== null;
}
