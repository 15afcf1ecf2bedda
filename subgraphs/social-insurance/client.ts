import { newRequestNumber } from '../shared/requestNumber';
import { z } from 'zod';
import { checkCalendarDate, decimalToFen, type Fen } from '../../schemas/identifiers';
import { AgencyError } from '../shared/agencyError';
import type { AgencyChannels } from '../shared/agencyChannels';
import { AgencyHttp } from '../shared/agencyHttp';

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

export type InsuranceStatus = 'INSURED' | 'SUSPENDED' | 'RETIRED';
export type HousingFundStatus = 'NORMAL' | 'SEALED' | 'CLOSED';

export interface PensionPayment {
  /** YYYY-MM */
  month: string;
  amountFen: Fen;
}

export interface InsuredRecord {
  idNumber: string;
  status: InsuranceStatus;
  employerCreditCode: string | null;
  contributionBaseFen: Fen;
  /** ISO date. */
  insuredSince: string;
  monthlyPensionFen: Fen;
  pensionPayments: PensionPayment[];
}

/**
 * Income the bureau can withhold from: a retiree's pension, or an insured person's wage on
 * the contribution base it records (see mocks/social-insurance/withholding.ts).
 */
export type IncomeKind = 'WAGES' | 'PENSION';

/** The facts a withholding is checked against: the income, and the local subsistence minimum. */
export interface WithholdableIncome {
  idNumber: string;
  incomeKind: IncomeKind;
  monthlyIncomeFen: Fen;
  /** The local subsistence minimum (最低生活保障标准) a month, where the person lives. */
  subsistenceMinimumFen: Fen;
}

export interface HousingFundAccount {
  idNumber: string;
  accountNumber: string;
  balanceFen: Fen;
  monthlyDepositFen: Fen;
  status: HousingFundStatus;
}

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

/** Yuan as the bureau writes it ("8500.00"); the regex keeps decimalToFen from ever throwing. */
const yuan = z.string().regex(/^\d{1,13}(\.\d{1,2})?$/).transform((s) => decimalToFen(s, 100));
const compactDate = z
  .string()
  .regex(/^\d{8}$/)
  .transform((s) => `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6)}`)
  .refine((iso) => checkCalendarDate(iso).ok, 'not a calendar date');
const compactMonth = z
  .string()
  .regex(/^\d{4}(0[1-9]|1[0-2])$/)
  .transform((s) => `${s.slice(0, 4)}-${s.slice(4)}`);

const INSURED_STATUS: Record<'1' | '2' | '3', InsuranceStatus> = { '1': 'INSURED', '2': 'SUSPENDED', '3': 'RETIRED' };

const insuredRow = z
  .object({
    sfzhm: z.string(),
    cbzt: z.enum(['1', '2', '3']),
    dwbh: z.string().min(1).nullable(),
    jfjs: yuan,
    cbrq: compactDate,
    yljj: yuan,
    ffjl: z.array(z.object({ ny: compactMonth, je: yuan })),
  })
  .transform(
    (r): InsuredRecord => ({
      idNumber: r.sfzhm,
      status: INSURED_STATUS[r.cbzt],
      employerCreditCode: r.dwbh,
      contributionBaseFen: r.jfjs,
      insuredSince: r.cbrq,
      monthlyPensionFen: r.yljj,
      pensionPayments: r.ffjl.map((p) => ({ month: p.ny, amountFen: p.je })),
    }),
  );

/** The bureau sometimes answers a refusal with HTTP 200, so the error body is a valid answer too. */
const insuredAnswer = z.discriminatedUnion('status', [
  z.object({ status: z.literal('OK'), records: z.array(insuredRow) }),
  z.object({ status: z.literal('ERROR'), reason: z.string() }),
]);

const INCOME_KIND: Record<'GZ' | 'YLJ', IncomeKind> = { GZ: 'WAGES', YLJ: 'PENSION' };

const withholdableRow = z
  .object({ sfzhm: z.string(), srlx: z.enum(['GZ', 'YLJ']), ysr: yuan, dbbz: yuan })
  .transform(
    (r): WithholdableIncome => ({
      idNumber: r.sfzhm,
      incomeKind: INCOME_KIND[r.srlx],
      monthlyIncomeFen: r.ysr,
      subsistenceMinimumFen: r.dbbz,
    }),
  );

const withholdableAnswer = z.discriminatedUnion('status', [
  z.object({ status: z.literal('OK'), records: z.array(withholdableRow) }),
  z.object({ status: z.literal('ERROR'), reason: z.string() }),
]);

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
        const parsed = z.object({ reason: z.string() }).safeParse(body);
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

const fen = z.int().nonnegative();
const FUND_STATUS: Record<'正常' | '封存' | '销户', HousingFundStatus> = { 正常: 'NORMAL', 封存: 'SEALED', 销户: 'CLOSED' };

const fundRow = z
  .object({
    idCard: z.string(),
    grzh: z.string().min(1),
    zhye: fen,
    yjce: fen,
    zhzt: z.enum(['正常', '封存', '销户']),
  })
  .transform(
    (r): HousingFundAccount => ({
      idNumber: r.idCard,
      accountNumber: r.grzh,
      balanceFen: r.zhye,
      monthlyDepositFen: r.yjce,
      status: FUND_STATUS[r.zhzt],
    }),
  );

/**
 * retcode 0 carries the list; any other retcode is the centre's refusal, whatever the HTTP
 * status. One object schema (not a union) so a bad row is reported at its own path.
 */
const fundAnswer = z
  .object({ retcode: z.int(), retmsg: z.string().optional(), list: z.array(fundRow).optional() })
  .refine((answer) => answer.retcode !== 0 || answer.list !== undefined, { path: ['list'], message: 'a successful answer carries a list' });

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
        const parsed = z.object({ retcode: z.int(), retmsg: z.string() }).safeParse(body);
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
