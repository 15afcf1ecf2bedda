import { newRequestNumber } from '../shared/requestNumber';
import { AgencyError } from '../shared/agencyError';
import type { AgencyChannels } from '../shared/agencyChannels';
import { AgencyHttp } from '../shared/agencyHttp';
import { groupBy } from '../shared/batchLoader';
import type { Vehicle, VehicleOwner } from './types';
import { answerSchema, errorBodySchema } from './wire';

/** Name the vehicle registry goes by in errors and in `extensions.agency`. */
export const VEHICLE_AGENCY = 'vehicle registry';

/** Owner numbers or VINs the registry accepts in one query. */
export const VEHICLE_MAX_BATCH = 25;

/** Where the registry serves the network's control interface (mocks/vehicle/server.ts). */
export const VEHICLE_CONTROL_PREFIX = '/jdc/kz';

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
