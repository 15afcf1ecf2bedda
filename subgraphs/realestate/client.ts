import { newRequestNumber } from '../shared/requestNumber';
import { z } from 'zod';
import { checkCalendarDate, decimalToFen, type Fen } from '../../schemas/identifiers';
import { AgencyError } from '../shared/agencyError';
import type { AgencyChannels } from '../shared/agencyChannels';
import { AgencyHttp } from '../shared/agencyHttp';

/** The name every error of this subgraph's agency carries. */
export const REAL_ESTATE_AGENCY = 'real-estate registry';
/** The exchange platform's limit: at most 10 owners or units per query (see mocks/realestate/server.ts). */
export const REAL_ESTATE_MAX_BATCH = 10;
/** Where the platform serves the network's control interface (mocks/realestate/server.ts). */
export const REAL_ESTATE_CONTROL_PREFIX = '/bdc/api/kz';
/** The platform's code for "no such unit" on GET /bdc/api/bdcdy/{bdcdyh}. */
const UNIT_NOT_FOUND_CODE = '1004';
/** Mortgage amounts come in 万元 (10,000 yuan). */
const FEN_PER_WAN = 1_000_000;

export type Party = { __typename: 'Person'; idNumber: string } | { __typename: 'Company'; creditCode: string };
export type RealEstateUsage = 'RESIDENTIAL' | 'COMMERCIAL' | 'OFFICE' | 'INDUSTRIAL';
export type RealEstateOwnership = 'SOLE' | 'BY_SHARES' | 'JOINT';

export interface RealEstateOwner {
  owner: Party;
  /** Percent with 2 decimals ("50.00"); null for joint owners. */
  share: string | null;
}

export interface Mortgage {
  mortgagee: string;
  amountFen: Fen;
  registeredOn: string;
  endsOn: string | null;
}

export interface RealEstateUnit {
  unitNumber: string;
  certificateNumber: string;
  address: string;
  countyCode: string;
  usage: RealEstateUsage;
  /** Square metres with exactly 2 decimals ("89.50"). */
  floorArea: string;
  ownership: RealEstateOwnership;
  owners: RealEstateOwner[];
  mortgages: Mortgage[];
  registeredOn: string | null;
}

/** An owner's key (ID number or credit code). */
export function ownerKey(party: Party): string {
  return party.__typename === 'Person' ? party.idNumber : party.creditCode;
}

/** Everyone who holds the unit: a co-owned unit is each co-owner's asset. */
export function unitHolders(unit: RealEstateUnit): string[] {
  return unit.owners.map((o) => ownerKey(o.owner));
}

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
const ownersAnswer = z.object({ code: ok, data: z.array(z.object({ zjhm: z.string(), bdcdy: z.array(wireUnit) })) });
const unitsAnswer = z.object({ code: ok, data: z.array(wireUnit) });
const unitAnswer = z.object({ code: ok, data: wireUnit });

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
