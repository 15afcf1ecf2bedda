/**
 * Emulator of the traffic police motor vehicle registry (机动车登记, "JDC") query API.
 *
 * Like the traffic police systems it stands for, it speaks JSON with UPPER-CASE pinyin-initial
 * field names, and refuses a request with HTTP 200 and RESULT "0" (only a system failure is an
 * HTTP 5xx), so a client must read RESULT before it reads ROWS.
 *
 * Endpoints (POST, JSON body; each carries the caller's request number SQBH, echoed back):
 *   /jdc/query/byOwner  {SQBH, SFZMHM: [owner ID number or unified social credit code, ...]}
 *   /jdc/query/byVin    {SQBH, CLSBDH: [VIN, ...]}
 *   At most 25 numbers per request (JDC_MAX_BATCH); unknown numbers simply yield no rows.
 *
 * Answer: HTTP 200 {RESULT: "1", SQBH, TOTAL, ROWS: [row, ...]}, one row per vehicle:
 *   SFZMHM  owner's ID number / credit code      SFZMMC  kind of that number: A resident ID card
 *                                                        (person), B organisation (company)
 *   CLSBDH  VIN                                  FZJG    issuing office, e.g. 浙A
 *   HPHM    plate number WITHOUT the province     HPZL    plate kind: 01 large (yellow), 02 small
 *           character, e.g. A12345 (the province          (blue), 07 motorcycle, 15 trailer,
 *           is FZJG's first character)                    51 large new-energy, 52 small new-energy
 *   CLLX    vehicle type: K11 large bus, K33 small car, H11 heavy truck, H31 light truck,
 *           M11 motorcycle (the letter and first digit say the class)
 *   CLPP1   brand (Chinese)                      CLXH    model
 *   CSYS    body colour, one letter: A 白 B 灰 C 黄 D 粉 E 红 F 紫 G 绿 H 蓝 I 棕 J 黑 K 银 Z other
 *   CCDJRQ  first registration, "YYYY-MM-DD HH:MM:SS" (always midnight)
 *   ZT      status, one letter per flag in alphabetical order:
 *             A normal (only when no other flag)   G mortgaged (抵押)   K seized (查封)
 *             M scrapped / compulsorily cancelled (强制注销)            P pledged (质押)
 *           e.g. "GK" = mortgaged and seized.
 *   The owner's name (SYR) is not returned: the registry gives courts identifiers, not names.
 *
 * Errors: {RESULT: "0", ERRCODE, ERRMSG}. A refusal (bad request, more than 25 numbers, no
 * SQBH) comes with HTTP 200; a system failure with HTTP 5xx and the same body.
 *
 * Control (seizure 查封, renewal 续封, release 解封) through the network's control interface under
 * /jdc/kz (mocks/shared/measures/controlDesk.ts): SEIZE of a VEHICLE by VIN. A VIN the registry
 * does not hold is refused (404 ASSET_NOT_FOUND); a scrapped vehicle is returned (回退). A
 * seizure in force is a transfer ban registered against the VIN: while one is ACTIVE the
 * inquiries report the vehicle with the K (seized) flag.
 */
import type { Assessment, Measure } from '../shared/measures/measureTypes';
import { type AgencyControlOptions, controlRoutes, openMeasureBook } from '../shared/measures/controlDesk';
import type { Population, VehicleFlag, VehicleRecord } from '../population';
import { batchKeys, indexBy } from '../shared/batch';
import { partyKey } from '../shared/partyKey';
import { AgencyRefusal, type Emulator, type EmulatorResponse, startEmulator } from '../shared/startEmulator';

/** Numbers per request the registry accepts. */
export const JDC_MAX_BATCH = 25;

const STATUS_LETTER: Record<VehicleFlag, string> = { MORTGAGED: 'G', SEIZED: 'K', SCRAPPED: 'M', PLEDGED: 'P' };

const TYPE_CODES: Record<VehicleRecord['vehicleType'], { HPZL: string; CLLX: string }> = {
  SMALL_CAR: { HPZL: '02', CLLX: 'K33' },
  LARGE_BUS: { HPZL: '01', CLLX: 'K11' },
  HEAVY_TRUCK: { HPZL: '01', CLLX: 'H11' },
  LIGHT_TRUCK: { HPZL: '02', CLLX: 'H31' },
  MOTORCYCLE: { HPZL: '07', CLLX: 'M11' },
};

const COLOUR_LETTER: Record<string, string> = {
  白: 'A', 灰: 'B', 黄: 'C', 粉: 'D', 红: 'E', 紫: 'F', 绿: 'G', 蓝: 'H', 棕: 'I', 黑: 'J', 银: 'K',
};

/** One vehicle as the registry writes it; `seized`: a court's seizure is in force on it. */
function jdcRow(v: VehicleRecord, seized = false): Record<string, string> {
  const flags = seized && !v.flags.includes('SEIZED') ? [...v.flags, 'SEIZED' as const] : v.flags;
  const letters = flags.map((f) => STATUS_LETTER[f]).sort().join('');
  return {
    SFZMHM: partyKey(v.owner),
    SFZMMC: v.owner.kind === 'PERSON' ? 'A' : 'B',
    CLSBDH: v.vin,
    FZJG: v.plateNumber.slice(0, 2),
    HPHM: v.plateNumber.slice(1),
    ...TYPE_CODES[v.vehicleType],
    CLPP1: v.brand,
    CLXH: v.model,
    CSYS: COLOUR_LETTER[v.color] ?? 'Z',
    CCDJRQ: `${v.registeredOn} 00:00:00`,
    ZT: letters === '' ? 'A' : letters,
  };
}

function renderError(refusal: AgencyRefusal): unknown {
  return { RESULT: '0', ERRCODE: refusal.agencyCode, ERRMSG: refusal.message };
}

/** VINs among `vins` a court's seizure controls now. */
type SeizedNow = (vins: readonly string[]) => Promise<Set<string>>;

/** Answers a batch query; a refusal is an HTTP 200 with RESULT "0", as the registry does it. */
async function query(body: unknown, field: string, index: Map<string, VehicleRecord[]>, seizedNow: SeizedNow): Promise<EmulatorResponse> {
  try {
    const sqbh = (body as Record<string, unknown> | undefined)?.SQBH;
    if (typeof sqbh !== 'string' || sqbh === '') throw new AgencyRefusal(400, 'NO_SQBH', 'The request number SQBH is missing.');
    const keys = batchKeys(body, field, JDC_MAX_BATCH);
    const vehicles = keys.flatMap((key) => index.get(key) ?? []);
    const seized = await seizedNow(vehicles.map((v) => v.vin));
    const rows = vehicles.map((v) => jdcRow(v, seized.has(v.vin)));
    return { body: { RESULT: '1', SQBH: sqbh, TOTAL: rows.length, ROWS: rows } };
  } catch (error) {
    if (error instanceof AgencyRefusal && error.status < 500) return { status: 200, body: renderError(error) };
    throw error;
  }
}

export interface VehicleEmulatorOptions {
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  latencyMs?: number;
  /** The registry's measure book (seizures); without it the registry answers inquiries only. */
  control?: AgencyControlOptions;
}

export const VEHICLE_CONTROL_PREFIX = '/jdc/kz';

/** Why the registry returns (回退) a seizure of a vehicle that is off the register. */
export const SCRAPPED_RETURN_REASON = '机动车已注销/报废 (vehicle scrapped)';


export async function startVehicleEmulator(population: Population, options: VehicleEmulatorOptions = {}): Promise<Emulator> {
  const byOwner = indexBy(population.vehicles, (v) => [partyKey(v.owner)]);
  const byVin = indexBy(population.vehicles, (v) => [v.vin]);
  const vehicleOf = (vin: string) => byVin.get(vin)?.[0];

  const book =
    options.control &&
    // The registry's look at the vehicle when it answers: one off the register cannot be seized.
    (await openMeasureBook(options.control, (measure: Measure): Assessment =>
      vehicleOf(measure.assetKey)?.flags.includes('SCRAPPED') ? { returned: SCRAPPED_RETURN_REASON } : {},
    ));

  // Whether a seizure is in force depends on the clock (answers fall due, terms lapse), so it is
  // read from the book, settled, when asked; a set of the VINs a court ever asked to seize (read
  // from the book at start, so a restart forgets none) keeps every other inquiry (nearly all of
  // a bulk sweep) off the database.
  const served = new Set<string>(book ? await book.assetKeys() : []);
  const seizedNow: SeizedNow = async (vins) => {
    const asked = vins.filter((vin) => served.has(vin));
    if (!book || asked.length === 0) return new Set();
    await book.settleDue();
    return new Set((await book.measuresOf(asked)).filter((m) => m.status === 'ACTIVE').map((m) => m.assetKey));
  };

  return startEmulator({
    name: 'vehicle',
    routes: [
      { method: 'POST', path: /^\/jdc\/query\/byOwner$/, handle: (req) => query(req.body, 'SFZMHM', byOwner, seizedNow) },
      { method: 'POST', path: /^\/jdc\/query\/byVin$/, handle: (req) => query(req.body, 'CLSBDH', byVin, seizedNow) },
      ...(book
        ? controlRoutes({
            prefix: VEHICLE_CONTROL_PREFIX,
            book,
            takes: [['VEHICLE', 'SEIZE']],
            admit: ({ assetKey }) => {
              if (!vehicleOf(assetKey)) throw new AgencyRefusal(404, 'ASSET_NOT_FOUND', `no vehicle with VIN ${assetKey} in the registry`);
              served.add(assetKey);
            },
          })
        : []),
    ],
    renderError,
    latencyMs: options.latencyMs,
    port: options.port,
    host: options.host,
  });
}
