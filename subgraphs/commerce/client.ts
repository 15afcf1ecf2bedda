import { newRequestNumber } from '../shared/requestNumber';
import type { Fen } from '../../schemas/identifiers';
import type { AgencyChannels } from '../shared/agencyChannels';
import { AgencyHttp } from '../shared/agencyHttp';
import { groupBy } from '../shared/batchLoader';
import {
  enterprisesAnswer,
  errorBody,
  type EnterpriseRow,
  type InvestorRow,
  investmentsAnswer,
  legalRepresentativesAnswer,
  REGSTATE,
} from './wire';
import { shareholdingId } from './shareholdingId';
import type { Enterprise, Holder, Shareholding } from './types';

/** Name of the agency in errors (`extensions.agency`). */
export const COMMERCE_AGENCY = 'commerce registry';
/** The registry's documented limit of keys per call, the same on every batch endpoint. */
export const COMMERCE_MAX_BATCH = 20;
/**
 * Where the registry serves the network's control interface (mocks/commerce/server.ts); its
 * asset key of a stake is the Shareholding id (company credit code and investor id).
 */
export const COMMERCE_CONTROL_PREFIX = '/api/v2/kz';

export interface CommerceClientOptions {
  baseUrl: string;
  /** @default 5000 */
  timeoutMs?: number;
  /** Numbers each call (the registry logs requestId against the caller). @default newRequestNumber */
  requestId?: () => string;
  /** The subgraph's breaker, retries and connection pool per agency (agencyChannels.ts). */
  channels?: AgencyChannels;
}

/**
 * The commerce registry's enterprise credit API v2, in domain terms. Each method takes one
 * batch of at most COMMERCE_MAX_BATCH keys (the loaders split larger ones) and answers a
 * map from key to what the registry holds; keys it does not know are absent. Every call is a
 * read, built afresh per attempt, so a retry carries a new requestId.
 */
export class CommerceClient {
  private readonly http: AgencyHttp;
  private readonly requestId: () => string;

  constructor(options: CommerceClientOptions) {
    this.requestId = options.requestId ?? newRequestNumber;
    this.http = new AgencyHttp({
      agency: COMMERCE_AGENCY,
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs,
      channels: options.channels,
      describeError: (body) => {
        const parsed = errorBody.safeParse(body);
        return parsed.success ? { code: parsed.data.errorCode, message: parsed.data.errorMsg } : undefined;
      },
    });
  }

  /** Enterprises by unified social credit code, with their investors. */
  async enterprises(creditCodes: readonly string[]): Promise<Map<string, Enterprise>> {
    const batch = checkBatch(creditCodes);
    const answer = await this.http.post(
      '/api/v2/enterprises/batch',
      () => ({ requestId: this.requestId(), uniscids: batch }),
      enterprisesAnswer,
      { idempotent: true },
    );
    return new Map(answer.data.map((row) => [row.uniscid, toEnterprise(row)]));
  }

  /** Stakes held, by the holder's ID number or credit code (persons and companies may be mixed). */
  async holdingsOf(holders: readonly string[]): Promise<Map<string, Shareholding[]>> {
    const batch = checkBatch(holders);
    const answer = await this.http.post(
      '/api/v2/investors/batch',
      () => ({ requestId: this.requestId(), cernos: batch }),
      investmentsAnswer,
      { idempotent: true },
    );
    const stakes = answer.data.map((row) => toShareholding(row.uniscid, row.regcap, row));
    return groupBy(stakes, (stake) => (stake.holder.kind === 'PERSON' ? stake.holder.idNumber : stake.holder.creditCode));
  }

  /** Credit codes of the companies each person is legal representative of, by ID number. */
  async legalRepresentativeOf(idNumbers: readonly string[]): Promise<Map<string, string[]>> {
    const batch = checkBatch(idNumbers);
    const answer = await this.http.post(
      '/api/v2/lerep/batch',
      () => ({ requestId: this.requestId(), cernos: batch }),
      legalRepresentativesAnswer,
      { idempotent: true },
    );
    const grouped = groupBy(answer.data, (row) => row.lerep_cerno);
    return new Map([...grouped].map(([idNumber, rows]) => [idNumber, rows.map((row) => row.uniscid)]));
  }
}

/** The loaders never send more than the limit; more here is a programming error. */
function checkBatch(keys: readonly string[]): readonly string[] {
  if (keys.length === 0 || keys.length > COMMERCE_MAX_BATCH) {
    throw new Error(`A commerce registry batch holds 1 to ${COMMERCE_MAX_BATCH} keys, got ${keys.length}.`);
  }
  return keys;
}

function toEnterprise(row: EnterpriseRow): Enterprise {
  return {
    creditCode: row.uniscid,
    name: row.entname,
    status: REGSTATE[row.regstate],
    registeredCapitalFen: row.regcap,
    legalRepresentative: row.lerep_cerno,
    establishedOn: row.estdate,
    address: row.dom,
    businessScope: row.opscope,
    shareholders: row.investors.map((investor) => toShareholding(row.uniscid, row.regcap, investor)),
  };
}

function toShareholding(companyCreditCode: string, companyRegisteredCapitalFen: Fen, row: InvestorRow): Shareholding {
  return {
    id: shareholdingId(companyCreditCode, row.invid),
    companyCreditCode,
    companyRegisteredCapitalFen,
    holder: row.inv_type === '自然人股东' ? { kind: 'PERSON', idNumber: row.inv_cerno } : { kind: 'COMPANY', creditCode: row.inv_cerno },
    subscribedFen: row.subconam,
    paidInFen: row.acconam,
    subscribedOn: row.condate,
  };
}
