import { newRequestNumber } from '../shared/requestNumber';
import { z } from 'zod';
import { type Checked, checkCalendarDate, checkCreditCode, checkIdNumber, checkVin } from '../../schemas/identifiers';
import { AgencyError } from '../shared/agencyError';
import type { AgencyChannels } from '../shared/agencyChannels';
import { AgencyHttp } from '../shared/agencyHttp';
import { groupBy } from '../shared/batchLoader';

/** Name the vehicle registry goes by in errors and in `extensions.agency`. */
export const VEHICLE_AGENCY = 'vehicle registry';

/** Owner numbers or VINs the registry accepts in one query. */
export const VEHICLE_MAX_BATCH = 25;

/** Where the registry serves the network's control interface (mocks/vehicle/server.ts). */
export const VEHICLE_CONTROL_PREFIX = '/jdc/kz';

export type PlateKind = 'LARGE' | 'SMALL' | 'MOTORCYCLE' | 'TRAILER' | 'LARGE_NEW_ENERGY' | 'SMALL_NEW_ENERGY';
export type VehicleType = 'SMALL_CAR' | 'LARGE_BUS' | 'HEAVY_TRUCK' | 'LIGHT_TRUCK' | 'MOTORCYCLE';
export type VehicleColor = 'WHITE' | 'GREY' | 'YELLOW' | 'PINK' | 'RED' | 'PURPLE' | 'GREEN' | 'BLUE' | 'BROWN' | 'BLACK' | 'SILVER' | 'OTHER';
export type VehicleStatus = 'NORMAL' | 'MORTGAGED' | 'PLEDGED' | 'SEIZED' | 'SCRAPPED';

export type VehicleOwner = { kind: 'PERSON'; idNumber: string } | { kind: 'COMPANY'; creditCode: string };

/** A vehicle in domain terms: full plate, enums, ISO date. */
export interface Vehicle {
  vin: string;
  plateNumber: string;
  plateKind: PlateKind;
  brand: string;
  model: string;
  vehicleType: VehicleType;
  color: VehicleColor;
  registeredOn: string;
  owner: VehicleOwner;
  /** NORMAL alone, or the flags in the order MORTGAGED, PLEDGED, SEIZED, SCRAPPED. */
  status: VehicleStatus[];
}

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
const answerSchema = z.discriminatedUnion('RESULT', [
  z.object({ RESULT: z.literal('1'), SQBH: z.string(), ROWS: z.array(rowSchema) }),
  z.object({ RESULT: z.literal('0'), ERRCODE: z.string().optional(), ERRMSG: z.string() }),
]);

const errorBodySchema = z.object({ ERRCODE: z.string().optional(), ERRMSG: z.string().optional() });

export interface VehicleClientOptions {
  baseUrl: string;
  /** @default 5000 */
  timeoutMs?: number;
  /** Numbers each request (SQBH), so the registry's logs and ours match up. @default 32 random hex digits */
  requestNumber?: () => string;
  /** The subgraph's breaker, retries and connection pool per agency (agencyChannels.ts). */
  channels?: AgencyChannels;
}

/** The registry's owner key of a vehicle: ID number for a person, credit code for a company. */
export function ownerKey(owner: VehicleOwner): string {
  return owner.kind === 'PERSON' ? owner.idNumber : owner.creditCode;
}

/**
 * Client of the vehicle registry's JDC query API. Each method takes one batch of at most
 * VEHICLE_MAX_BATCH keys (the loaders split larger ones) and answers a Map by key.
 */
export class VehicleClient {
  private readonly http: AgencyHttp;
  private readonly requestNumber: () => string;

  constructor(options: VehicleClientOptions) {
    this.requestNumber = options.requestNumber ?? newRequestNumber;
    this.http = new AgencyHttp({
      agency: VEHICLE_AGENCY,
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs,
      channels: options.channels,
      describeError(body) {
        const parsed = errorBodySchema.safeParse(body);
        return parsed.success ? { code: parsed.data.ERRCODE, message: parsed.data.ERRMSG } : undefined;
      },
    });
  }

  /** Vehicles by owner ID number or credit code; an owner without vehicles is absent. */
  async vehiclesByOwner(ownerKeys: readonly string[]): Promise<Map<string, Vehicle[]>> {
    if (ownerKeys.length === 0) return new Map();
    const rows = await this.query('/jdc/query/byOwner', 'SFZMHM', ownerKeys);
    return groupBy(rows, (v) => ownerKey(v.owner));
  }

  /** Vehicles by VIN; an unknown VIN is absent. */
  async vehiclesByVin(vins: readonly string[]): Promise<Map<string, Vehicle>> {
    if (vins.length === 0) return new Map();
    const rows = await this.query('/jdc/query/byVin', 'CLSBDH', vins);
    return new Map(rows.map((v) => [v.vin, v]));
  }

  private async query(path: string, field: string, keys: readonly string[]): Promise<Vehicle[]> {
    // A read: each attempt is a new request with a new number (the registry refuses a repeated SQBH).
    const answer = await this.http.post(path, () => ({ SQBH: this.requestNumber(), [field]: keys }), answerSchema, {
      idempotent: true,
      check(answer, sent) {
        if (answer.RESULT === '1' && answer.SQBH !== sent.SQBH) {
          throw new AgencyError('AGENCY_BAD_RESPONSE', `The ${VEHICLE_AGENCY} answered request ${answer.SQBH}, not the one sent.`, {
            agency: VEHICLE_AGENCY,
          });
        }
      },
    });
    if (answer.RESULT === '0') {
      throw new AgencyError('AGENCY_REFUSED', `The ${VEHICLE_AGENCY} refused the request: ${answer.ERRMSG}`, {
        agency: VEHICLE_AGENCY,
        ...(answer.ERRCODE === undefined ? {} : { agencyCode: answer.ERRCODE }),
      });
    }
    return answer.ROWS;
  }
}
