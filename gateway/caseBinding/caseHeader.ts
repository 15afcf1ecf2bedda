import { requestError } from '../../lib/errors/codedError';
import { checkCaseNumber } from '../../schemas/identifiers';

/** The header in which every court request states the case it serves. */
export const CASE_HEADER = 'x-case-number';

/**
 * The case a request states in its `x-case-number` header, normalised; undefined when it
 * states none. A header that is not a case number is refused (BAD_USER_INPUT, 400).
 */
export function statedCase(headers: { get(name: string): string | undefined | null } | undefined): string | undefined {
  const stated = headers?.get(CASE_HEADER);
  if (stated === undefined || stated === null || stated === '') return undefined;
  const checked = checkCaseNumber(percentDecoded(stated));
  if (!checked.ok) {
    throw requestError('BAD_USER_INPUT', `Header "${CASE_HEADER}" is invalid: ${checked.message}`, { reason: checked.reason });
  }
  return checked.value;
}

/** Header values are bytes: courts send the case number percent-encoded; a raw ASCII one passes as is. */
function percentDecoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
