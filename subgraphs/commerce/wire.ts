import { z } from 'zod';
import {
  type Checked,
  checkCalendarDate,
  checkCreditCode,
  checkIdNumber,
  decimalToFen,
} from '../../schemas/identifiers';

/**
 * Zod schemas of the commerce registry's answers (API v2). Leaf values are checked and
 * translated here (identifiers, ISO dates, 万元 -> integer fen), so a row that parses is a
 * row the graph can show as is; anything else makes the call AGENCY_BAD_RESPONSE.
 */

/** The registry counts money in 万元 (10,000 yuan), i.e. 1,000,000 fen. */
export const FEN_PER_WAN = 1_000_000;

function checkedString(check: (input: unknown) => Checked<string>) {
  return z.string().transform((text, ctx) => {
    const checked = check(text);
    if (checked.ok) return checked.value;
    ctx.addIssue({ code: 'custom', message: checked.message });
    return z.NEVER;
  });
}

const idNumber = checkedString(checkIdNumber);
const creditCode = checkedString(checkCreditCode);
const isoDate = checkedString(checkCalendarDate);

/** A non-negative 万元 decimal string, exact to the fen ("0.0000001" 万元 is refused, not rounded). */
const wanYuan = z.string().transform((text, ctx) => {
  try {
    const fen = decimalToFen(text, FEN_PER_WAN);
    if (fen >= 0) return fen;
    ctx.addIssue({ code: 'custom', message: `amount ${text} is negative` });
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : `not an amount: ${text}` });
  }
  return z.NEVER;
});

/** condate may be missing for old records; an empty string means the same. */
const optionalDate = z
  .union([z.literal('').transform(() => null), z.null(), isoDate])
  .optional()
  .transform((value) => value ?? null);

const investorAmounts = {
  subconam: wanYuan,
  acconam: wanYuan,
  condate: optionalDate,
  invid: z.string().min(1),
};

/** One investor row: what inv_cerno must be depends on inv_type. */
export const investorRow = z.discriminatedUnion('inv_type', [
  z.object({ inv_type: z.literal('自然人股东'), inv_cerno: idNumber, ...investorAmounts }),
  z.object({ inv_type: z.literal('企业法人'), inv_cerno: creditCode, ...investorAmounts }),
]);
export type InvestorRow = z.output<typeof investorRow>;

export const REGSTATE = {
  存续: 'ACTIVE',
  吊销: 'REVOKED',
  注销: 'CANCELLED',
  清算: 'LIQUIDATING',
} as const;

/** An enterprise's registered capital, as enterprise rows and investment rows both give it. */
const registeredCapital = {
  regcap: wanYuan,
  // Money is yuan: a capital in another currency would be shown as a wrong amount (and would
  // weigh stakes wrongly), so it is refused.
  regcapcur: z.literal('人民币'),
};

export const enterpriseRow = z.object({
  uniscid: creditCode,
  entname: z.string().min(1),
  regstate: z.enum(['存续', '吊销', '注销', '清算']),
  ...registeredCapital,
  lerep_cerno: idNumber,
  estdate: isoDate,
  dom: z.string(),
  opscope: z.string(),
  investors: z.array(investorRow),
});
export type EnterpriseRow = z.output<typeof enterpriseRow>;

/**
 * A row of /investors/batch: a shareholding with the enterprise it is in and that enterprise's
 * registered capital, which weighs the stake. (The row's entname is not read: the graph shows
 * a company's name from its enterprise record.)
 */
export const investmentRow = z.object({ uniscid: creditCode, ...registeredCapital }).and(investorRow);
export type InvestmentRow = z.output<typeof investmentRow>;

export const legalRepresentativeRow = z.object({ lerep_cerno: idNumber, uniscid: creditCode });

function answer<T extends z.ZodType>(row: T) {
  return z.object({ success: z.literal(true), data: z.array(row) });
}

export const enterprisesAnswer = answer(enterpriseRow);
export const investmentsAnswer = answer(investmentRow);
export const legalRepresentativesAnswer = answer(legalRepresentativeRow);

/** The registry's error body: `{success:false, errorCode, errorMsg}`. */
export const errorBody = z.object({
  success: z.literal(false),
  errorCode: z.string().optional(),
  errorMsg: z.string().optional(),
});
