/**
 * Emulator of the courts' enforcement case management system (执行案件管理系统) and the
 * identity verification service courts reach through it.
 *
 * Legacy API (JSON, UTF-8; amounts in yuan as decimal strings; dates YYYY-MM-DD):
 *   GET  /zxaj/v1/courts                       -> { errcode: 0, fy: [{ fydm, fymc }] }
 *   POST /zxaj/v1/cases/batch      { ah: [...] }   at most 50 case numbers
 *        -> { errcode: 0, aj: [case] }  (unknown case numbers are absent)
 *   GET  /zxaj/v1/courts/{fydm}/cases?zt=&start=&limit=   a court's docket, newest first,
 *        limit at most 100 -> { errcode: 0, total, start, aj: [case] }
 *   POST /zxaj/v1/parties/cases    { zjhm: [...] } at most 50 party identifiers
 *        -> { errcode: 0, dsr: [{ zjhm, ssdw, ah }] } one row per (party, case, role)
 *   POST /zxaj/v1/identities       { zjhm: [...] } at most 100 ID numbers / credit codes
 *        -> { errcode: 0, sf: [{ zjhm, mc }] }  (identity verification: names)
 *   case = { ah, fydm, fymc, ajzt ("在执" | "中止" | "结案"), ay (cause), sqbdje (amount due),
 *            wzxje (outstanding), lasj (filed), jasj (closed or ""), cbr (officer),
 *            dsr: [{ ssdw ("申请执行人" | "被执行人"), lx ("自然人" | "法人"), zjhm }] }
 * Errors: HTTP 4xx/5xx with { errcode: <non-zero number>, errmsg }.
 */
import { formatFen } from '../../schemas/identifiers';
import type { CaseRecord, CaseStatus, PartyRef, Population } from '../population';
import { batchKeys, indexBy } from '../shared/batch';
import { partyKey } from '../shared/partyKey';
import { AgencyRefusal, type Emulator, startEmulator } from '../shared/startEmulator';

export const COURT_MAX_CASE_BATCH = 50;
export const COURT_MAX_PARTY_BATCH = 50;
export const COURT_MAX_IDENTITY_BATCH = 100;
export const COURT_MAX_PAGE = 100;

const STATUS_WORDS: Record<CaseStatus, string> = { ACTIVE: '在执', SUSPENDED: '中止', CLOSED: '结案' };

export interface CourtEmulatorOptions {
  port?: number;
  /** @default 2 */
  latencyMs?: number;
}

export function startCourtEmulator(population: Population, options: CourtEmulatorOptions = {}): Promise<Emulator> {
  const courtNames = new Map(population.courts.map((c) => [c.code, c.name]));
  const byNumber = new Map(population.cases.map((c) => [c.caseNumber, c]));
  const docket = indexBy(population.cases, (c) => [c.courtCode]);
  for (const cases of docket.values()) {
    cases.sort((a, b) => (a.filedOn === b.filedOn ? a.caseNumber.localeCompare(b.caseNumber) : b.filedOn.localeCompare(a.filedOn)));
  }
  const byParty = indexBy(population.cases, (c) => [...c.applicants, ...c.debtors].map(partyKey));
  const names = new Map<string, string>([
    ...population.persons.map((p) => [p.idNumber, p.name] as const),
    ...population.companies.map((c) => [c.creditCode, c.name] as const),
  ]);

  const party = (role: string) => (p: PartyRef) => ({ ssdw: role, lx: p.kind === 'PERSON' ? '自然人' : '法人', zjhm: partyKey(p) });
  const toWire = (c: CaseRecord) => ({
    ah: c.caseNumber,
    fydm: c.courtCode,
    fymc: courtNames.get(c.courtCode) ?? '',
    ajzt: STATUS_WORDS[c.status],
    ay: c.cause,
    sqbdje: formatFen(c.amountDueFen),
    wzxje: formatFen(c.outstandingFen),
    lasj: c.filedOn,
    jasj: c.closedOn ?? '',
    cbr: c.officer,
    dsr: [...c.applicants.map(party('申请执行人')), ...c.debtors.map(party('被执行人'))],
  });

  return startEmulator({
    name: 'court',
    latencyMs: options.latencyMs ?? 2,
    port: options.port,
    renderError: (refusal) => ({ errcode: refusal.status * 10 + 1, errmsg: refusal.message }),
    routes: [
      {
        method: 'GET',
        path: /^\/zxaj\/v1\/courts$/,
        handle: () => ({ body: { errcode: 0, fy: population.courts.map((c) => ({ fydm: c.code, fymc: c.name })) } }),
      },
      {
        method: 'POST',
        path: /^\/zxaj\/v1\/cases\/batch$/,
        handle: ({ body }) => {
          const numbers = batchKeys(body, 'ah', COURT_MAX_CASE_BATCH);
          return { body: { errcode: 0, aj: numbers.flatMap((n) => (byNumber.has(n) ? [toWire(byNumber.get(n)!)] : [])) } };
        },
      },
      {
        method: 'GET',
        path: /^\/zxaj\/v1\/courts\/([^/]+)\/cases$/,
        handle: ({ params, query }) => {
          const court = decodeURIComponent(params[0]!);
          if (!courtNames.has(court)) throw new AgencyRefusal(404, 'NO_COURT', `法院代码 ${court} 不存在`);
          const start = Number(query.get('start') ?? '0');
          const limit = Number(query.get('limit') ?? '20');
          if (!Number.isInteger(start) || start < 0 || !Number.isInteger(limit) || limit < 1 || limit > COURT_MAX_PAGE) {
            throw new AgencyRefusal(400, 'BAD_PAGE', `start must be >= 0 and limit between 1 and ${COURT_MAX_PAGE}`);
          }
          const status = query.get('zt');
          const all = docket.get(court) ?? [];
          const rows = status ? all.filter((c) => STATUS_WORDS[c.status] === status) : all;
          return { body: { errcode: 0, total: rows.length, start, aj: rows.slice(start, start + limit).map(toWire) } };
        },
      },
      {
        method: 'POST',
        path: /^\/zxaj\/v1\/parties\/cases$/,
        handle: ({ body }) => {
          const ids = batchKeys(body, 'zjhm', COURT_MAX_PARTY_BATCH);
          const rows = ids.flatMap((id) =>
            (byParty.get(id) ?? []).flatMap((c) => [
              ...(c.debtors.some((d) => partyKey(d) === id) ? [{ zjhm: id, ssdw: '被执行人', ah: c.caseNumber }] : []),
              ...(c.applicants.some((a) => partyKey(a) === id) ? [{ zjhm: id, ssdw: '申请执行人', ah: c.caseNumber }] : []),
            ]),
          );
          return { body: { errcode: 0, dsr: rows } };
        },
      },
      {
        method: 'POST',
        path: /^\/zxaj\/v1\/identities$/,
        handle: ({ body }) => {
          const ids = batchKeys(body, 'zjhm', COURT_MAX_IDENTITY_BATCH);
          return { body: { errcode: 0, sf: ids.flatMap((id) => (names.has(id) ? [{ zjhm: id, mc: names.get(id)! }] : [])) } };
        },
      },
    ],
  });
}
