import { newRequestNumber } from '../shared/requestNumber';
import { AgencyError } from '../shared/agencyError';
import type { AgencyChannels } from '../shared/agencyChannels';
import { AgencyHttp } from '../shared/agencyHttp';
import type { HousingFundAccount, InsuredRecord, WithholdableIncome } from './types';
import { bureauErrorBody, fundAnswer, fundErrorBody, insuredAnswer, withholdableAnswer } from './wire';

/**
 * Clients for the two systems behind this subgraph: the human resources and social security
 * bureau's data exchange (insured status, contribution base, pension) and the housing
 * provident fund centre (fund accounts). They are separate systems with their own batch
 * limits, field names, money units and error shapes, so each has its own client. Every call
 * is a read, built afresh per attempt (a new request number), so it may be retried.
 */

/** The bureau's data exchange accepts at most 30 ID numbers per request. */
export const SOCIAL_INSURANCE_MAX_BATCH = 30;
/** The fund centre accepts at most 50 ID cards per request. */
export const HOUSING_FUND_MAX_BATCH = 50;

export const SOCIAL_INSURANCE_AGENCY = 'social insurance bureau';
/** Where the bureau serves the network's control interface (mocks/social-insurance/server.ts). */
export const SOCIAL_INSURANCE_CONTROL_PREFIX = '/si/exchange/kz';
export const HOUSING_FUND_AGENCY = 'housing provident fund centre';

export interface AgencyClientOptions {
  baseUrl: string;
  /** @default 5000 */
  timeoutMs?: number;
  /** Each request carries its own number for the agency's log. @default a random UUID without dashes */
  requestNumber?: () => string;
  /** The subgraph's breaker, retries and connection pool per agency (agencyChannels.ts). */
  channels?: AgencyChannels;
}

// ---- the bureau's data exchange -------------------------------------------------------

export class SocialInsuranceClient {
  private readonly http: AgencyHttp;
  private readonly requestNumber: () => string;

  constructor(options: AgencyClientOptions) {
    this.http = new AgencyHttp({
      agency: SOCIAL_INSURANCE_AGENCY,
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs,
      channels: options.channels,
      describeError: (body) => {
        const parsed = bureauErrorBody.safeParse(body);
        return parsed.success ? { message: parsed.data.reason } : undefined;
      },
    });
    this.requestNumber = options.requestNumber ?? newRequestNumber;
  }

  /** Insured records of up to SOCIAL_INSURANCE_MAX_BATCH persons; a person the bureau does not know is absent. */
  async insuredByIdNumbers(idNumbers: readonly string[]): Promise<Map<string, InsuredRecord>> {
    assertBatch(idNumbers, SOCIAL_INSURANCE_MAX_BATCH, SOCIAL_INSURANCE_AGENCY);
    const answer = await this.http.post('/si/exchange/insured', () => ({ jbh: this.requestNumber(), sfzhm: idNumbers }), insuredAnswer, { idempotent: true });
    if (answer.status === 'ERROR') {
      throw new AgencyError('AGENCY_REFUSED', `The ${SOCIAL_INSURANCE_AGENCY} refused the request: ${answer.reason}`, { agency: SOCIAL_INSURANCE_AGENCY });
    }
    return byIdNumber(answer.records, idNumbers, SOCIAL_INSURANCE_AGENCY, 'insured records');
  }

  /**
   * Withholdable income of up to SOCIAL_INSURANCE_MAX_BATCH persons; a person the bureau does
   * not know, or pays nothing, is absent.
   */
  async withholdableByIdNumbers(idNumbers: readonly string[]): Promise<Map<string, WithholdableIncome>> {
    assertBatch(idNumbers, SOCIAL_INSURANCE_MAX_BATCH, SOCIAL_INSURANCE_AGENCY);
    const answer = await this.http.post('/si/exchange/withholdable', () => ({ jbh: this.requestNumber(), sfzhm: idNumbers }), withholdableAnswer, { idempotent: true });
    if (answer.status === 'ERROR') {
      throw new AgencyError('AGENCY_REFUSED', `The ${SOCIAL_INSURANCE_AGENCY} refused the request: ${answer.reason}`, { agency: SOCIAL_INSURANCE_AGENCY });
    }
    return byIdNumber(answer.records, idNumbers, SOCIAL_INSURANCE_AGENCY, 'income records');
  }
}

// ---- the housing provident fund centre ------------------------------------------------

export class HousingFundClient {
  private readonly http: AgencyHttp;
  private readonly requestNumber: () => string;

  constructor(options: AgencyClientOptions) {
    this.http = new AgencyHttp({
      agency: HOUSING_FUND_AGENCY,
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs,
      channels: options.channels,
      describeError: (body) => {
        const parsed = fundErrorBody.safeParse(body);
        return parsed.success ? { code: String(parsed.data.retcode), message: parsed.data.retmsg } : undefined;
      },
    });
    this.requestNumber = options.requestNumber ?? newRequestNumber;
  }

  /** Fund accounts of up to HOUSING_FUND_MAX_BATCH persons; a person without an account is absent. */
  async accountsByIdNumbers(idNumbers: readonly string[]): Promise<Map<string, HousingFundAccount>> {
    assertBatch(idNumbers, HOUSING_FUND_MAX_BATCH, HOUSING_FUND_AGENCY);
    const answer = await this.http.post('/gjj/api/account/query', () => ({ requestNo: this.requestNumber(), idCards: idNumbers }), fundAnswer, { idempotent: true });
    if (answer.retcode !== 0) {
      const reason = answer.retmsg ?? `return code ${answer.retcode}`;
      throw new AgencyError('AGENCY_REFUSED', `The ${HOUSING_FUND_AGENCY} refused the request: ${reason}`, {
        agency: HOUSING_FUND_AGENCY,
        agencyCode: String(answer.retcode),
      });
    }
    return byIdNumber(answer.list ?? [], idNumbers, HOUSING_FUND_AGENCY, 'accounts');
  }
}

// ---- shared by both ---------------------------------------------------------------------

/** The loaders split batches; a larger one reaching here is a programming error, not an agency's. */
function assertBatch(keys: readonly string[], max: number, agency: string): void {
  if (keys.length === 0 || keys.length > max) {
    throw new RangeError(`The ${agency} takes 1 to ${max} ID numbers per request, got ${keys.length}.`);
  }
}

/**
 * Keys the answer by ID number, keeping only persons asked about. Two rows for one person
 * would leave the court a guess between them, so that answer is refused as malformed.
 */
function byIdNumber<T extends { idNumber: string }>(rows: readonly T[], asked: readonly string[], agency: string, what: string): Map<string, T> {
  const wanted = new Set(asked);
  const found = new Map<string, T>();
  for (const row of rows) {
    if (!wanted.has(row.idNumber)) continue;
    if (found.has(row.idNumber)) {
      throw new AgencyError('AGENCY_BAD_RESPONSE', `The ${agency} answered two ${what} for one ID number.`, { agency });
    }
    found.set(row.idNumber, row);
  }
  return found;
}
