import { type Checked, invalid, valid } from './invalidIdentifier';

/** Integer fen; every amount in the system is held this way and never as a float of yuan. */
export type Fen = number;

const MONEY = /^(-?)(\d+)(?:\.(\d{1,2}))?$/;
/** Largest amount: every safe-integer fen must round-trip through formatFen and back. */
const MAX_FEN = BigInt(Number.MAX_SAFE_INTEGER);

/** Parses a decimal yuan string ("1234.5", "1234.56", "-3") into integer fen, exactly. */
export function checkMoney(input: unknown): Checked<Fen> {
  if (typeof input !== 'string') {
    return invalid('TYPE', 'Money must be a decimal string of yuan such as "1234.56", never a number.');
  }
  const m = MONEY.exec(input);
  if (!m) {
    return invalid('STRUCTURE', 'Money must be yuan with at most 2 decimals, e.g. "1234.56".');
  }
  const yuan = m[2]!.replace(/^0+(?=\d)/, '');
  // The length test comes first so a huge digit string never reaches BigInt.
  const fen = yuan.length > 14 ? MAX_FEN + 1n : BigInt(yuan) * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
  if (fen > MAX_FEN) {
    const max = formatFen(Number.MAX_SAFE_INTEGER);
    return invalid('RANGE', `Money must lie between -${max} and ${max} yuan.`);
  }
  return valid(m[1] === '-' && fen !== 0n ? -Number(fen) : Number(fen));
}

/** Formats integer fen as a yuan decimal string with exactly two decimals. */
export function formatFen(fen: Fen): string {
  if (!Number.isSafeInteger(fen)) throw new TypeError(`amount in fen must be a safe integer, got ${fen}`);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * Parses a decimal string of some unit into integer fen, exactly: agencies report money
 * in yuan ("12.30") or in 10,000 yuan ("500.5" 万元), never trusted as floats.
 */
export function decimalToFen(decimal: string, fenPerUnit: number): Fen {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(decimal.trim());
  if (!m) throw new TypeError(`not a decimal amount: ${JSON.stringify(decimal)}`);
  const digits = Math.round(Math.log10(fenPerUnit));
  if (!Number.isSafeInteger(fenPerUnit) || fenPerUnit < 1 || 10 ** digits !== fenPerUnit) {
    throw new TypeError(`fenPerUnit must be a power of 10, got ${fenPerUnit}`);
  }
  const frac = m[3] ?? '';
  if (frac.length > digits && /[1-9]/.test(frac.slice(digits))) {
    throw new RangeError(`amount ${decimal} has more precision than a fen`);
  }
  const fen = Number(m[2]) * fenPerUnit + Number(frac.slice(0, digits).padEnd(digits, '0') || '0');
  if (!Number.isSafeInteger(fen)) throw new RangeError(`amount ${decimal} is too large`);
  return m[1] === '-' && fen !== 0 ? -fen : fen; // never -0
}
