/**
 * Masks every personal identifier in a text: anything shaped like a resident ID number, a
 * unified social credit code, a bank or housing-fund account number or a VIN, whether or not
 * its check character is right (a mistyped ID is still someone's). Enough is kept to tell
 * records apart in a log:
 *
 *   resident ID (18)          330106199001019356  -> 330106********9356  (region code, last 4)
 *   credit code (18)          91330106MA2B3C4D5E  -> 913301********4D5E
 *   account (15-25, optional  6222021234567890123 -> 6222***********0123  (first 4, last 4)
 *     letter prefix)          W123456700000042   -> W123********0042
 *   VIN (17)                  LSVAU218XN2183294  -> LSV**********3294   (maker, last 4)
 *
 * A candidate is a run of 15-25 letters and digits standing alone, so request ids (UUID
 * groups are at most 12), epoch milliseconds (13 digits), money and dates are left as they
 * are; so is a run of letters, or one mixing letters and digits unlike these identifiers.
 * It also works on JSON text: a run right after an escape (`\n`, `\t`, `\u00a0`) is
 * recognised without the escape's letters.
 */
export function maskIdentifiers(text: string): string {
  return text.replace(CANDIDATE, (run: string, offset: number, whole: string) => {
    const escape = whole[offset - 1] === '\\' ? (ESCAPE.exec(run)?.[0] ?? '') : '';
    return escape + maskOne(run.slice(escape.length));
  });
}

const CANDIDATE = /(?<![0-9A-Za-z])[0-9A-Za-z]{15,30}(?![0-9A-Za-z])/g;
const ESCAPE = /^(?:u[0-9A-Fa-f]{4}|[nrtbf])/;

const ID_NUMBER = /^[1-9]\d{16}[\dXx]$/;
const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{2}\d{6}[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{10}$/;
const ACCOUNT = /^[A-Za-z]{0,4}\d{11,25}$/;
/** At least three digits: every VIN has them (check digit, serial), plain words do not. */
const VIN = /^(?=(?:\D*\d){3})[A-HJ-NPR-Za-hj-npr-z0-9]{17}$/;

function maskOne(token: string): string {
  const n = token.length;
  if (n < 15 || n > 25) return token;
  if ((n === 18 && ID_NUMBER.test(token)) || (n === 18 && CREDIT_CODE.test(token))) return keep(token, 6, 4);
  if (ACCOUNT.test(token)) return keep(token, 4, 4);
  if (n === 17 && VIN.test(token)) return keep(token, 3, 4);
  return token;
}

function keep(token: string, head: number, tail: number): string {
  return token.slice(0, head) + '*'.repeat(token.length - head - tail) + token.slice(token.length - tail);
}
