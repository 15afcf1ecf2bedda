import type { AgencyChannels } from '../../shared/agencyChannels';
import { AgencyError } from '../../shared/agencyError';
import { AgencyHttp } from '../../shared/agencyHttp';
import type { AccountHolder, BankConnection } from '../types';

/** The subgraph's agency name: every bank error carries `extensions.agency` "bank" and the bank code as `provider`. */
export const BANK_AGENCY = 'bank';

/**
 * A bank connection with the subgraph's channels (breaker, retries, pool per bank); the
 * adapters of banks.ts pass it through as the BankConnection they are given.
 */
export interface PooledBankConnection extends BankConnection {
  channels?: AgencyChannels;
}

/** An AgencyHttp for one bank, reading that bank's own error body. */
export function bankHttp(
  bankCode: string,
  connection: PooledBankConnection,
  describeError: (body: unknown) => { code?: string; message?: string } | undefined,
): AgencyHttp {
  return new AgencyHttp({
    agency: BANK_AGENCY,
    provider: bankCode,
    baseUrl: connection.baseUrl,
    timeoutMs: connection.timeoutMs,
    channels: connection.channels,
    describeError,
  });
}

/** The loaders never send more than a bank takes; more here is a programming error, not the bank's. */
export function checkBatch(bankCode: string, keys: readonly string[], maxBatch: number): void {
  if (keys.length > maxBatch) throw new RangeError(`Bank ${bankCode} takes at most ${maxBatch} keys per request, got ${keys.length}.`);
}

/** A bank that answers another request number than the one asked answered someone else. */
export function checkEcho(bankCode: string, sent: string, answered: string): void {
  if (sent !== answered) {
    throw badResponse(bankCode, `The bank ${bankCode} answered request ${answered} to request ${sent}.`);
  }
}

export function holderOf(kind: AccountHolder['kind'], key: string): AccountHolder {
  return kind === 'PERSON' ? { kind, idNumber: key } : { kind, creditCode: key };
}

/** The identifier a holder is asked by: resident ID number or credit code. */
export function holderKey(holder: AccountHolder): string {
  return holder.kind === 'PERSON' ? holder.idNumber : holder.creditCode;
}

export function badResponse(bankCode: string, message: string): AgencyError {
  return new AgencyError('AGENCY_BAD_RESPONSE', message, { agency: BANK_AGENCY, provider: bankCode });
}
