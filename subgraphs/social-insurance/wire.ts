import { z } from 'zod';
import { checkCalendarDate, decimalToFen } from '../../schemas/identifiers';
import type { HousingFundAccount, HousingFundStatus, IncomeKind, InsuranceStatus, InsuredRecord, WithholdableIncome } from './types';

/**
 * Zod schemas of the two systems' answers: the bureau's compact dates and yuan strings and the
 * fund centre's integer fen are checked and translated into domain values here.
 */

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
export const insuredAnswer = z.discriminatedUnion('status', [
  z.object({ status: z.literal('OK'), records: z.array(insuredRow) }),
  z.object({ status: z.literal('ERROR'), reason: z.string() }),
]);

/** The bureau's error body, on any HTTP status. */
export const bureauErrorBody = z.object({ reason: z.string() });

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

export const withholdableAnswer = z.discriminatedUnion('status', [
  z.object({ status: z.literal('OK'), records: z.array(withholdableRow) }),
  z.object({ status: z.literal('ERROR'), reason: z.string() }),
]);

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
export const fundAnswer = z
  .object({ retcode: z.int(), retmsg: z.string().optional(), list: z.array(fundRow).optional() })
  .refine((answer) => answer.retcode !== 0 || answer.list !== undefined, { path: ['list'], message: 'a successful answer carries a list' });

/** The fund centre's error body, on any HTTP status. */
export const fundErrorBody = z.object({ retcode: z.int(), retmsg: z.string() });
