import { z } from 'zod';
import { checkCalendarDate, decimalToFen } from '../../schemas/identifiers';
import type { Mortgage, RealEstateOwner, RealEstateUnit } from './types';

/**
 * Zod schemas of the exchange platform's answers: its pinyin-initial fields, Chinese dates,
 * 万元 amounts and usage words are checked and translated into domain values here, so an
 * answer that parses is one the graph can show as is.
 */

/** Mortgage amounts come in 万元 (10,000 yuan). */
const FEN_PER_WAN = 1_000_000;

const USAGE = { 住宅: 'RESIDENTIAL', 商业: 'COMMERCIAL', 办公: 'OFFICE', 工业: 'INDUSTRIAL' } as const;
const OWNERSHIP = { 单独所有: 'SOLE', 按份共有: 'BY_SHARES', 共同共有: 'JOINT' } as const;

/** "89.5" / "089.50" -> "89.50", exactly, by string (the registry's numbers are never trusted as floats). */
function twoDecimals(whole: string, fraction: string | undefined): string {
  return `${whole.replace(/^0+(?=\d)/, '')}.${(fraction ?? '').padEnd(2, '0')}`;
}

/** "2019年03月05日" (some counties write "2019年3月5日") -> "2019-03-05", refusing dates that do not exist. */
const chineseDate = z.string().transform((text, ctx) => {
  const m = /^(\d{4})年(\d{1,2})月(\d{1,2})日$/.exec(text);
  const iso = m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : '';
  if (!checkCalendarDate(iso).ok) {
    ctx.addIssue({ code: 'custom', message: `not a registry date: ${text}` });
    return z.NEVER;
  }
  return iso;
});
/** An optional date: the registry leaves it out, or sends null or "". */
const optionalChineseDate = z.union([z.literal(''), chineseDate]).nullish().transform((d) => d || null);

/** mj: square metres, at most 2 decimals. */
const floorArea = z.string().transform((text, ctx) => {
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) {
    ctx.addIssue({ code: 'custom', message: `not an area: ${text}` });
    return z.NEVER;
  }
  return twoDecimals(m[1]!, m[2]);
});

/** fe: "50%", "33.33%", at most 100%. */
const share = z.string().transform((text, ctx) => {
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?%$/.exec(text);
  if (!m || Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) > 10_000) {
    ctx.addIssue({ code: 'custom', message: `not a share: ${text}` });
    return z.NEVER;
  }
  return twoDecimals(m[1]!, m[2]);
});

/** dyje: 万元 as a decimal string -> integer fen, exactly. */
const wanToFen = z.string().transform((text, ctx) => {
  if (/^\d{1,12}(?:\.\d{1,6})?$/.test(text)) return decimalToFen(text, FEN_PER_WAN);
  ctx.addIssue({ code: 'custom', message: `not an amount in 万元 to the fen: ${text}` });
  return z.NEVER;
});

const wireOwner = z
  .object({ zjzl: z.enum(['身份证', '统一社会信用代码']), zjhm: z.string(), fe: z.union([z.literal(''), share]).nullish() })
  .transform(
    (q): RealEstateOwner => ({
      owner: q.zjzl === '身份证' ? { __typename: 'Person', idNumber: q.zjhm } : { __typename: 'Company', creditCode: q.zjhm },
      share: q.fe || null,
    }),
  );

const wireMortgage = z
  .object({ dyqr: z.string(), dyje: wanToFen, djrq: chineseDate, dyqx_end: optionalChineseDate })
  .transform((d): Mortgage => ({ mortgagee: d.dyqr, amountFen: d.dyje, registeredOn: d.djrq, endsOn: d.dyqx_end }));

const wireUnit = z
  .object({
    bdcdyh: z.string(),
    bdcqzh: z.string(),
    zl: z.string(),
    xzqdm: z.string().regex(/^\d{6}$/),
    yt: z.enum(['住宅', '商业', '办公', '工业']),
    mj: floorArea,
    gyfs: z.enum(['单独所有', '按份共有', '共同共有']),
    qlr: z.array(wireOwner),
    dyxx: z.array(wireMortgage),
    djrq: optionalChineseDate,
  })
  .transform(
    (u): RealEstateUnit => ({
      unitNumber: u.bdcdyh,
      certificateNumber: u.bdcqzh,
      address: u.zl,
      countyCode: u.xzqdm,
      usage: USAGE[u.yt],
      floorArea: u.mj,
      ownership: OWNERSHIP[u.gyfs],
      owners: u.qlr,
      mortgages: u.dyxx,
      registeredOn: u.djrq,
    }),
  );

const ok = z.literal('0000');
export const ownersAnswer = z.object({ code: ok, data: z.array(z.object({ zjhm: z.string(), bdcdy: z.array(wireUnit) })) });
export const unitsAnswer = z.object({ code: ok, data: z.array(wireUnit) });
export const unitAnswer = z.object({ code: ok, data: wireUnit });
