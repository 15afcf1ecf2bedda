import { z } from 'zod';
import { type Checked, checkCalendarDate, checkCreditCode, checkIdNumber, checkVin } from '../../schemas/identifiers';
import type { PlateKind, Vehicle, VehicleColor, VehicleOwner, VehicleStatus, VehicleType } from './types';

/**
 * Zod schemas of the vehicle registry's answers: its code tables (HPZL, CLLX, CSYS, ZT), owner
 * numbers and timestamps are checked and read into domain values here.
 */

// ---- the registry's code tables (HPZL, CLLX, CSYS, ZT) ------------------------------------

const PLATE_KIND = new Map<string, PlateKind>([
  ['01', 'LARGE'], ['02', 'SMALL'], ['07', 'MOTORCYCLE'], ['15', 'TRAILER'], ['51', 'LARGE_NEW_ENERGY'], ['52', 'SMALL_NEW_ENERGY'],
]);

/** CLLX codes say the class in their letter and first digit (K1x large bus, H3x light truck ...). */
const VEHICLE_TYPE_BY_CLLX: readonly [RegExp, VehicleType][] = [
  [/^K1\d$/, 'LARGE_BUS'],
  [/^K[34]\d$/, 'SMALL_CAR'],
  [/^H1\d$/, 'HEAVY_TRUCK'],
  [/^H[34]\d$/, 'LIGHT_TRUCK'],
  [/^M\d{1,2}$/, 'MOTORCYCLE'],
];

const COLOR = new Map<string, VehicleColor>([
  ['A', 'WHITE'], ['B', 'GREY'], ['C', 'YELLOW'], ['D', 'PINK'], ['E', 'RED'], ['F', 'PURPLE'],
  ['G', 'GREEN'], ['H', 'BLUE'], ['I', 'BROWN'], ['J', 'BLACK'], ['K', 'SILVER'], ['Z', 'OTHER'],
]);

/** ZT letters other than A (normal), in the order the domain lists the flags. */
const FLAG_BY_LETTER = { G: 'MORTGAGED', P: 'PLEDGED', K: 'SEIZED', M: 'SCRAPPED' } as const;

function statusOf(zt: string): VehicleStatus[] {
  const flags = Object.entries(FLAG_BY_LETTER).flatMap(([letter, flag]) => (zt.includes(letter) ? [flag] : []));
  return flags.length > 0 ? flags : ['NORMAL'];
}

// ---- the registry's answers ----------------------------------------------------------------

/** A string that must pass one of the shared identifier checks; the issue says which check failed. */
function checked(check: (input: unknown) => Checked<string>) {
  return z.string().transform((value, ctx) => {
    const result = check(value);
    if (result.ok) return result.value;
    ctx.issues.push({ code: 'custom', message: result.message, input: value });
    return z.NEVER;
  });
}

/** A code of one of the registry's tables, read into its domain value. */
function code<T>(read: (value: string) => T | undefined) {
  return z.string().transform((value, ctx) => {
    const result = read(value);
    if (result !== undefined) return result;
    ctx.issues.push({ code: 'custom', message: `unknown code ${value}`, input: value });
    return z.NEVER;
  });
}

const rowSchema = z
  .object({
    SFZMHM: z.string(),
    SFZMMC: z.enum(['A', 'B']),
    CLSBDH: checked(checkVin),
    FZJG: z.string().regex(/^\p{Script=Han}[A-Z]$/u),
    HPHM: z.string().regex(/^[A-Z][0-9A-Z]{4,6}$/),
    HPZL: code((value) => PLATE_KIND.get(value)),
    CLLX: code((value) => VEHICLE_TYPE_BY_CLLX.find(([pattern]) => pattern.test(value))?.[1]),
    CLPP1: z.string().min(1),
    CLXH: z.string().min(1),
    CSYS: code((value) => COLOR.get(value)),
    // "2019-03-05 00:00:00": the registry stores dates as midnight timestamps.
    CCDJRQ: z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/).transform((s) => s.slice(0, 10)).pipe(checked(checkCalendarDate)),
    ZT: z.string().regex(/^[AGKMP]+$/),
  })
  .transform((row, ctx): Vehicle => {
    const owner = ownerOf(row.SFZMMC, row.SFZMHM);
    if (!owner.ok) {
      ctx.issues.push({ code: 'custom', message: owner.message, input: row.SFZMHM, path: ['SFZMHM'] });
      return z.NEVER;
    }
    return {
      vin: row.CLSBDH,
      // HPHM leaves out the province character; the issuing office FZJG starts with it.
      plateNumber: Array.from(row.FZJG)[0] + row.HPHM,
      plateKind: row.HPZL,
      brand: row.CLPP1,
      model: row.CLXH,
      vehicleType: row.CLLX,
      color: row.CSYS,
      registeredOn: row.CCDJRQ,
      owner: owner.value,
      status: statusOf(row.ZT),
    };
  });

function ownerOf(kind: 'A' | 'B', number: string): Checked<VehicleOwner> {
  if (kind === 'A') {
    const id = checkIdNumber(number);
    return id.ok ? { ok: true, value: { kind: 'PERSON', idNumber: id.value } } : id;
  }
  const credit = checkCreditCode(number);
  return credit.ok ? { ok: true, value: { kind: 'COMPANY', creditCode: credit.value } } : credit;
}

/** RESULT "1" carries rows; RESULT "0" is a refusal, even though it comes with HTTP 200. */
export const answerSchema = z.discriminatedUnion('RESULT', [
  z.object({ RESULT: z.literal('1'), SQBH: z.string(), ROWS: z.array(rowSchema) }),
  z.object({ RESULT: z.literal('0'), ERRCODE: z.string().optional(), ERRMSG: z.string() }),
]);

export const errorBodySchema = z.object({ ERRCODE: z.string().optional(), ERRMSG: z.string().optional() });
