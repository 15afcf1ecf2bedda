import { decimalToFen } from '../../schemas/identifiers';
import type { AgencyChannels } from '../shared/agencyChannels';
import { AgencyHttp } from '../shared/agencyHttp';
import type { CasePage, CaseStatus, EnforcementCase, Party, PartyRole } from './types';
import { caseBatch, casePage, courts, identities, partyCases, type WireCase, type WireParty } from './wire';

/** Limits of the case management system's API (see mocks/court/server.ts). */
export const COURT_LIMITS = { caseBatch: 50, partyBatch: 50, identityBatch: 100, page: 100 } as const;

const STATUS: Record<string, CaseStatus> = { 在执: 'ACTIVE', 中止: 'SUSPENDED', 结案: 'CLOSED' };
const ROLE: Record<string, PartyRole> = { 被执行人: 'DEBTOR', 申请执行人: 'APPLICANT' };

function toParty(p: WireParty): Party {
  return p.lx === '自然人' ? { __typename: 'Person', idNumber: p.zjhm, name: p.mc } : { __typename: 'Company', creditCode: p.zjhm, name: p.mc };
}

function toCase(c: WireCase): EnforcementCase {
  return {
    caseNumber: c.ah,
    courtCode: c.fydm,
    courtName: c.fymc,
    status: STATUS[c.ajzt]!,
    cause: c.ay,
    amountDueFen: decimalToFen(c.sqbdje, 100),
    outstandingFen: decimalToFen(c.wzxje, 100),
    filedOn: c.lasj,
    closedOn: c.jasj === '' ? null : c.jasj,
    officer: c.cbr,
    applicants: c.dsr.filter((p) => p.ssdw === '申请执行人').map(toParty),
    debtors: c.dsr.filter((p) => p.ssdw === '被执行人').map(toParty),
  };
}

export interface CourtClientOptions {
  baseUrl: string;
  /** Per-call time limit, retries included. @default 5000 */
  timeoutMs?: number;
  /** The subgraph's breaker, retries and connection pool per agency (agencyChannels.ts). */
  channels?: AgencyChannels;
}

/** Client of the courts' enforcement case management system. Every call is a read, so it may be retried. */
export class CourtClient {
  private readonly http: AgencyHttp;

  constructor({ baseUrl, timeoutMs, channels }: CourtClientOptions) {
    this.http = new AgencyHttp({
      agency: 'court case system',
      baseUrl,
      timeoutMs,
      channels,
      describeError: (body) => {
        const b = body as { errcode?: unknown; errmsg?: unknown } | undefined;
        return { code: b?.errcode === undefined ? undefined : String(b.errcode), message: typeof b?.errmsg === 'string' ? b.errmsg : undefined };
      },
    });
  }

  async casesByNumber(caseNumbers: readonly string[]): Promise<Map<string, EnforcementCase>> {
    const answer = await this.http.post('/zxaj/v1/cases/batch', { ah: caseNumbers }, caseBatch, { idempotent: true });
    return new Map(answer.aj.map((c) => [c.ah, toCase(c)]));
  }

  async docket(court: string, status: CaseStatus | undefined, start: number, limit: number): Promise<CasePage> {
    const word = status === undefined ? undefined : Object.keys(STATUS).find((k) => STATUS[k] === status);
    const query = new URLSearchParams({ start: String(start), limit: String(limit), ...(word ? { zt: word } : {}) });
    const answer = await this.http.get(`/zxaj/v1/courts/${encodeURIComponent(court)}/cases?${query}`, casePage);
    return { total: answer.total, cases: answer.aj.map(toCase) };
  }

  /** Case numbers per party identifier and role. */
  async casesOfParties(ids: readonly string[]): Promise<Map<string, { role: PartyRole; caseNumber: string }[]>> {
    const answer = await this.http.post('/zxaj/v1/parties/cases', { zjhm: ids }, partyCases, { idempotent: true });
    const found = new Map<string, { role: PartyRole; caseNumber: string }[]>();
    for (const row of answer.dsr) {
      const list = found.get(row.zjhm) ?? [];
      list.push({ role: ROLE[row.ssdw]!, caseNumber: row.ah });
      found.set(row.zjhm, list);
    }
    return found;
  }

  async names(ids: readonly string[]): Promise<Map<string, string>> {
    const answer = await this.http.post('/zxaj/v1/identities', { zjhm: ids }, identities, { idempotent: true });
    return new Map(answer.sf.map((s) => [s.zjhm, s.mc]));
  }

  async courts(): Promise<{ code: string; name: string }[]> {
    const answer = await this.http.get('/zxaj/v1/courts', courts);
    return answer.fy.map((c) => ({ code: c.fydm, name: c.fymc }));
  }
}
