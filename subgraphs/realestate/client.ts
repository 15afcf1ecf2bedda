import { newRequestNumber } from '../shared/requestNumber';
import { AgencyError } from '../shared/agencyError';
import type { AgencyChannels } from '../shared/agencyChannels';
import { AgencyHttp } from '../shared/agencyHttp';
import type { Party, RealEstateUnit } from './types';
import { ownersAnswer, unitAnswer, unitsAnswer } from './wire';

/** The name every error of this subgraph's agency carries. */
export const REAL_ESTATE_AGENCY = 'real-estate registry';
/** The exchange platform's limit: at most 10 owners or units per query (see mocks/realestate/server.ts). */
export const REAL_ESTATE_MAX_BATCH = 10;
/** Where the platform serves the network's control interface (mocks/realestate/server.ts). */
export const REAL_ESTATE_CONTROL_PREFIX = '/bdc/api/kz';
/** The platform's code for "no such unit" on GET /bdc/api/bdcdy/{bdcdyh}. */
const UNIT_NOT_FOUND_CODE = '1004';

/** An owner's key (ID number or credit code). */
export function ownerKey(party: Party): string {
  return party.__typename === 'Person' ? party.idNumber : party.creditCode;
}

/** Everyone who holds the unit: a co-owned unit is each co-owner's asset. */
export function unitHolders(unit: RealEstateUnit): string[] {
  return unit.owners.map((o) => ownerKey(o.owner));
}

export interface RealEstateClientOptions {
  baseUrl: string;
  /** Per-call time limit. @default 5000 */
  timeoutMs?: number;
  /** Numbers each owner query (查询申请号) so the registry can attribute it. @default a random 32-hex-digit number */
  requestNumber?: () => string;
  /** The subgraph's breaker, retries and connection pool per agency (agencyChannels.ts). */
  channels?: AgencyChannels;
}

/**
 * Client of the provincial real-estate registration exchange platform (不动产登记信息共享平台):
 * translates its pinyin-initial fields, Chinese dates, 万元 amounts and usage words into
 * domain values. Each method is one call to the platform, with at most REAL_ESTATE_MAX_BATCH keys.
 */
export class RealEstateClient {
  private readonly http: AgencyHttp;
  private readonly requestNumber: () => string;

  constructor(options: RealEstateClientOptions) {
    this.http = new AgencyHttp({
      agency: REAL_ESTATE_AGENCY,
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs,
      channels: options.channels,
      describeError: (body) => {
        const b = body as { code?: unknown; msg?: unknown } | undefined;
        return { code: typeof b?.code === 'string' ? b.code : undefined, message: typeof b?.msg === 'string' ? b.msg : undefined };
      },
    });
    this.requestNumber = options.requestNumber ?? newRequestNumber;
  }

  /** Units per owner (ID number or credit code); an owner the registry does not know maps to []. */
  async unitsOfOwners(ids: readonly string[]): Promise<Map<string, RealEstateUnit[]>> {
    assertBatch(ids);
    // A read: a retry is a new query with a new 查询申请号.
    const answer = await this.http.post('/bdc/api/qlr/cx', () => ({ cxsqh: this.requestNumber(), zjhm: ids }), ownersAnswer, { idempotent: true });
    return new Map(answer.data.map((row) => [row.zjhm, row.bdcdy]));
  }

  /** Units by unit number; numbers the registry does not know are absent from the map. */
  async unitsByNumber(unitNumbers: readonly string[]): Promise<Map<string, RealEstateUnit>> {
    assertBatch(unitNumbers);
    const answer = await this.http.post('/bdc/api/bdcdy/cx', { bdcdyh: unitNumbers }, unitsAnswer, { idempotent: true });
    return new Map(answer.data.map((u) => [u.unitNumber, u]));
  }

  /** One unit by number, or null if the registry has no such unit. */
  async unit(unitNumber: string): Promise<RealEstateUnit | null> {
    try {
      const answer = await this.http.get(`/bdc/api/bdcdy/${encodeURIComponent(unitNumber)}`, unitAnswer);
      return answer.data;
    } catch (error) {
      if (error instanceof AgencyError && error.extensions.agencyCode === UNIT_NOT_FOUND_CODE) return null;
      throw error;
    }
  }
}

function assertBatch(keys: readonly string[]): void {
  if (keys.length > REAL_ESTATE_MAX_BATCH) {
    throw new Error(`The real-estate registry takes at most ${REAL_ESTATE_MAX_BATCH} keys per query, got ${keys.length}.`);
  }
}
