import { asciiUpperCase, type Checked, invalid, valid } from './invalidIdentifier';

/**
 * GB/T 37346 real-estate unit number, 28 characters:
 *   6 digits  county (administrative division) code
 *   6 digits  cadastral zone (3) + sub-zone (3)
 *   7 chars   parcel: ownership kind (G state / J collective / Z undetermined),
 *             parcel kind (A B S X C D E F W Y), 5-digit serial
 *   9 chars   building unit: kind (F house / L forest / Q structure / W none), 8 digits
 */
const STRUCTURE = /^(\d{6})(\d{6})([GJZ][ABSXCDEFWY]\d{5})([FLQW]\d{8})$/;

export interface UnitNumberParts {
  county: string;
  cadastralZone: string;
  parcel: string;
  building: string;
}

export function checkUnitNumber(input: unknown): Checked<string> {
  if (typeof input !== 'string') return invalid('TYPE', 'UnitNumber must be a string.');
  const value = asciiUpperCase(input);
  if (value.length !== 28) {
    return invalid('LENGTH', `UnitNumber must be 28 characters long, got ${value.length}.`);
  }
  if (!/^[0-9A-Z]{28}$/.test(value)) {
    return invalid('ALPHABET', 'UnitNumber may hold only digits and capital letters.');
  }
  if (!/^\d{12}/.test(value)) {
    return invalid('STRUCTURE', 'UnitNumber must start with a 6-digit county code and a 6-digit cadastral zone.');
  }
  if (value[0] === '0') return invalid('STRUCTURE', 'UnitNumber county code cannot start with 0.');
  if (!/^[GJZ][ABSXCDEFWY]\d{5}$/.test(value.slice(12, 19))) {
    return invalid(
      'STRUCTURE',
      'UnitNumber characters 13-19 must be a parcel code: G, J or Z, a parcel kind letter, and 5 digits.',
    );
  }
  if (!/^[FLQW]\d{8}$/.test(value.slice(19))) {
    return invalid('STRUCTURE', 'UnitNumber characters 20-28 must be a building code: F, L, Q or W and 8 digits.');
  }
  return valid(value);
}

export function unitNumberParts(value: string): UnitNumberParts {
  const m = STRUCTURE.exec(value);
  if (!m) throw new Error(`not a checked unit number: ${value}`);
  return { county: m[1]!, cadastralZone: m[2]!, parcel: m[3]!, building: m[4]! };
}
