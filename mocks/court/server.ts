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
 *   POST /zxaj/v1/cases/receipts   { ah, je (yuan), fkr (payer, e.g. a bank code), lsh (the
 *        payer's serial number) }  money received for a case (执行款到账), e.g. a bank's
 *        deduction; the same lsh again is the same receipt, answered again, never counted twice
 *        -> { errcode: 0, errmsg: "成功", ah, lsh, wzxje (the case's outstanding amount now) }
 *   case = { ah, fydm, fymc, ajzt ("在执" | "中止" | "结案"), ay (cause), sqbdje (amount due),
 *            wzxje (outstanding: the population's, less what the case account received),
 *            lasj (filed), jasj (closed or ""), cbr (officer),
 *            dsr: [{ ssdw ("申请执行人" | "被执行人"), lx ("自然人" | "法人"), zjhm, mc (当事人名称: the
 *                    party's name, the same name /zxaj/v1/identities gives for that zjhm) }] }
 * Errors: HTTP 4xx/5xx with { errcode: <non-zero number>, errmsg }. errcode is HTTP status * 10
 * + 1 (4001 bad request, 4041 no such court or endpoint, 4131 batch too large, 5001 internal
 * or busy), except the receipts route's own refusals (RECEIPT_ERRCODES):
 *   4002 ah, fkr or lsh missing or malformed     4003 je not a yuan amount above 0.00
 *   4042 no such case                            4091 je exceeds the case's outstanding amount
 *   4092 the case is closed (结案)                4093 lsh already used for a different receipt
 *   5031 no case account connected: this court system cannot take receipts
 */
import { decimalToFen, formatFen } from '../../schemas/identifiers';
import type { CaseRecord, CaseStatus, PartyRef, Population } from '../population';
import { batchKeys, indexBy } from '../shared/batch';
import { partyKey } from '../shared/partyKey';
import { AgencyRefusal, type Emulator, startEmulator } from '../shared/startEmulator';
import { type CaseAccount, CaseAccountError, MAX_REFERENCE_LENGTH } from './caseAccount';

export const COURT_MAX_CASE_BATCH = 50;
export const COURT_MAX_PARTY_BATCH = 50;
export const COURT_MAX_IDENTITY_BATCH = 100;
export const COURT_MAX_PAGE = 100;

const STATUS_WORDS: Record<CaseStatus, string> = { ACTIVE: '在执', SUSPENDED: '中止', CLOSED: '结案' };

/** The receipts route's refusals, by agency code (see the header comment). */
export const RECEIPT_ERRCODES: Readonly<Record<string, number>> = {
  BAD_RECEIPT: 4002,
  BAD_AMOUNT: 4003,
  NO_CASE: 4042,
  EXCEEDS_OUTSTANDING: 4091,
  CASE_CLOSED: 4092,
  REFERENCE_REUSED: 4093,
  NO_CASE_ACCOUNT: 5031,
};

export interface CourtEmulatorOptions {
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** @default 2 */
  latencyMs?: number;
  /**
   * Where receipts for cases are kept; every case's outstanding amount is the population's
   * less what it received. @default undefined: outstanding is the population's, and the
   * receipts route answers 503.
   */
  caseAccount?: CaseAccount;
}

export async function startCourtEmulator(population: Population, options: CourtEmulatorOptions = {}): Promise<Emulator> {
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

  const { caseAccount } = options;
  // What each case received, read once here and raised after each receipt commits, so the
  // hot read path (every gateway request looks its case up) never waits on the database.
  // This emulator is the one process of the court system: no other writer can make it stale,
  // and the over-payment check itself reads the database under the case's lock.
  const paid = caseAccount ? await caseAccount.paidTotals() : new Map<string, number>();
  const outstandingOf = (c: CaseRecord) => c.outstandingFen - (paid.get(c.caseNumber) ?? 0);

  // A case record names its parties (当事人名称); every party of the population has a name.
  for (const c of population.cases) {
    for (const p of [...c.applicants, ...c.debtors]) {
      if (!names.has(partyKey(p))) throw new Error(`case ${c.caseNumber} has a party the population does not name: ${partyKey(p)}`);
    }
  }
  const party = (role: string) => (p: PartyRef) => ({
    ssdw: role,
    lx: p.kind === 'PERSON' ? '自然人' : '法人',
    zjhm: partyKey(p),
    mc: names.get(partyKey(p))!,
  });
  const toWire = (c: CaseRecord) => ({
    ah: c.caseNumber,
    fydm: c.courtCode,
    fymc: courtNames.get(c.courtCode) ?? '',
    ajzt: STATUS_WORDS[c.status],
    ay: c.cause,
    sqbdje: formatFen(c.amountDueFen),
    wzxje: formatFen(outstandingOf(c)),
    lasj: c.filedOn,
    jasj: c.closedOn ?? '',
    cbr: c.officer,
    dsr: [...c.applicants.map(party('申请执行人')), ...c.debtors.map(party('被执行人'))],
  });

  return startEmulator({
    name: 'court',
    latencyMs: options.latencyMs ?? 2,
    port: options.port,
    host: options.host,
    renderError: (refusal) => ({ errcode: RECEIPT_ERRCODES[refusal.agencyCode] ?? refusal.status * 10 + 1, errmsg: refusal.message }),
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
        method: 'POST',
        path: /^\/zxaj\/v1\/cases\/receipts$/,
        handle: async ({ body }) => {
          if (!caseAccount) throw new AgencyRefusal(503, 'NO_CASE_ACCOUNT', '执行款账户未接入，暂不能登记到账');
          const receipt = readReceipt(body);
          const kase = byNumber.get(receipt.caseNumber);
          if (!kase) throw new AgencyRefusal(404, 'NO_CASE', `案号 ${receipt.caseNumber} 不存在`);
          if (kase.status === 'CLOSED') throw new AgencyRefusal(409, 'CASE_CLOSED', `案件 ${kase.caseNumber} 已结案，不能登记到账`);
          let paidFen: number;
          try {
            ({ paidFen } = await caseAccount.receive(receipt, kase.outstandingFen));
          } catch (error) {
            if (!(error instanceof CaseAccountError)) throw error;
            throw receiptRefusal(error);
          }
          // Receipts only add up, so a total that commits later but answers sooner never goes back.
          paid.set(kase.caseNumber, Math.max(paid.get(kase.caseNumber) ?? 0, paidFen));
          return { body: { errcode: 0, errmsg: '成功', ah: kase.caseNumber, lsh: receipt.reference, wzxje: formatFen(outstandingOf(kase)) } };
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

/** The receipt a request body states, or the court system's refusal of it. */
function readReceipt(body: unknown): { caseNumber: string; amountFen: number; payer: string; reference: string } {
  const { ah, je, fkr, lsh } = (body ?? {}) as Record<string, unknown>;
  const text = (value: unknown) => typeof value === 'string' && value.trim() !== '' && value.length <= MAX_REFERENCE_LENGTH;
  if (!text(ah)) throw new AgencyRefusal(400, 'BAD_RECEIPT', 'ah (案号) 必须是案号字符串');
  if (!text(fkr)) throw new AgencyRefusal(400, 'BAD_RECEIPT', `fkr (付款人) 必须是不超过 ${MAX_REFERENCE_LENGTH} 个字符的非空字符串`);
  if (!text(lsh)) throw new AgencyRefusal(400, 'BAD_RECEIPT', `lsh (流水号) 必须是不超过 ${MAX_REFERENCE_LENGTH} 个字符的非空字符串`);
  const badAmount = () => new AgencyRefusal(400, 'BAD_AMOUNT', `je (金额) 必须是大于 0 的元金额字符串，最多两位小数，如 "1234.56"，收到 ${JSON.stringify(je)}`);
  if (typeof je !== 'string') throw badAmount();
  let amountFen: number;
  try {
    amountFen = decimalToFen(je, 100);
  } catch {
    throw badAmount();
  }
  if (amountFen <= 0) throw badAmount();
  return { caseNumber: ah as string, amountFen, payer: fkr as string, reference: lsh as string };
}

function receiptRefusal(error: CaseAccountError): AgencyRefusal {
  switch (error.code) {
    case 'EXCEEDS_OUTSTANDING':
      return new AgencyRefusal(
        409,
        'EXCEEDS_OUTSTANDING',
        `到账金额 ${formatFen(error.details.amountFen as number)} 元超过案件 ${String(error.details.caseNumber)} 未执行金额 ${formatFen(error.details.outstandingFen as number)} 元`,
      );
    case 'REFERENCE_REUSED':
      return new AgencyRefusal(409, 'REFERENCE_REUSED', `流水号 ${String(error.details.reference)} 已用于另一笔到账`);
    case 'INVALID_INPUT':
      return new AgencyRefusal(400, 'BAD_RECEIPT', error.message);
  }
}
