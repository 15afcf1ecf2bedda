import {
  CREDIT_CODE_ALPHABET,
  creditCodeCheckChar,
  idNumberCheckChar,
  vinCheckChar,
} from '../../schemas/identifiers';
import type { Random } from './random';

/**
 * Makers of valid, unique identifiers. Uniqueness comes from a running serial woven into
 * each identifier, so a population of any size never repeats one.
 */
export class IdentifierMaker {
  private serial = 0;
  private readonly seenIds = new Set<string>();

  constructor(private readonly rng: Random) {}

  idNumber(countyCode: string, birthDate: string, gender: 'M' | 'F'): string {
    for (;;) {
      // The 17th digit is odd for men, even for women.
      const seq = this.rng.digits(2) + String(this.rng.int(0, 4) * 2 + (gender === 'M' ? 1 : 0));
      const first17 = countyCode + birthDate.replace(/-/g, '') + seq;
      const id = first17 + idNumberCheckChar(first17);
      if (!this.seenIds.has(id)) {
        this.seenIds.add(id);
        return id;
      }
    }
  }

  creditCode(countyCode: string): string {
    // 9 = registered by market regulation, 1 = enterprise; then region, then a 9-symbol
    // organisation code whose tail carries the serial (base 31) to stay unique.
    let org = '';
    let n = ++this.serial;
    for (let i = 0; i < 5; i++) {
      org = CREDIT_CODE_ALPHABET[n % 31]! + org;
      n = Math.floor(n / 31);
    }
    const first17 = '91' + countyCode + 'MA' + this.rng.pick([...'0123456789ABCDEF']) + 'X' + org;
    return first17 + creditCodeCheckChar(first17);
  }

  vin(): string {
    const wmi = this.rng.pick(['LSV', 'LFV', 'LGB', 'LBV', 'LHG', 'LVS']);
    const vds = this.rng.pick(['AG2180', 'BA3E4M', 'CJ5N6P', 'DH7R8S']);
    const year = this.rng.pick([...'ABCDEFGHJKLMNPRS']);
    const serial = String(++this.serial).padStart(7, '0').slice(-7);
    const draft = wmi + vds.slice(0, 5) + '0' + year + this.rng.pick([...'ABCDEFGH']) + serial.slice(1);
    const vin = draft.slice(0, 17);
    return vin.slice(0, 8) + vinCheckChar(vin) + vin.slice(9);
  }

  unitNumber(countyCode: string): string {
    const n = ++this.serial;
    const zone = String(this.rng.int(1, 20)).padStart(3, '0') + String(this.rng.int(1, 9)).padStart(3, '0');
    const parcel = 'GB' + String(n % 100000).padStart(5, '0');
    const building = 'F' + String(Math.floor(n / 100000) + 1).padStart(4, '0') + String(this.rng.int(1, 9999)).padStart(4, '0');
    return countyCode + zone + parcel + building;
  }

  plateNumber(prefix: string): string {
    const n = ++this.serial;
    const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
    const symbols = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ'; // plates never use I or O
    let rest = '';
    for (let k = Math.floor(n / 24), i = 0; i < 4; i++, k = Math.floor(k / 34)) rest = symbols[k % 34]! + rest;
    return prefix + letters[n % 24] + rest;
  }

  accountNumber(bankCode: string): string {
    const n = String(++this.serial).padStart(8, '0');
    switch (bankCode) {
      case 'NCB':
        return '6222' + this.rng.digits(7) + n; // 19-digit card number
      case 'HZCB':
        return '3301' + this.rng.digits(4) + n; // 16 digits
      case 'RCC':
        return '201' + this.rng.digits(7) + n; // 18 digits
      default:
        return 'W' + this.rng.digits(7) + n; // internet bank: letter prefix
    }
  }

  next(): number {
    return ++this.serial;
  }
}
