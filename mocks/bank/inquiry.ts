import { batchKeys } from '../shared/batch';
import { AgencyRefusal } from '../shared/startEmulator';

/** What a bank inquiry asks for: the accounts of some holders, or some accounts by number. */
export type Inquiry = { by: 'HOLDER'; keys: string[] } | { by: 'ACCOUNT'; keys: string[] };

export interface InquiryFields {
  /** The request-number field of this bank's dialect. */
  requestNumber: string;
  holders: string;
  /** Absent where the endpoint only takes holders. */
  accounts?: string;
  maxBatch: number;
  /** This bank's own code for an oversized batch. */
  batchRefusalCode: string;
  badRequestCode: string;
}

/**
 * Reads an inquiry body in one bank's field names: a request number (each request its own,
 * as the SPC/CBRC spec asks; a repeat is refused) and either holder identifiers or account
 * numbers, at most the bank's batch limit.
 */
export function readInquiry(body: unknown, fields: InquiryFields, seen: RequestNumbers): Inquiry {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const requestNumber = record[fields.requestNumber];
  if (typeof requestNumber !== 'string' || requestNumber.trim() === '') {
    throw new AgencyRefusal(400, fields.badRequestCode, `${fields.requestNumber} is required and must be a non-empty string`);
  }
  if (!seen.claim(requestNumber)) {
    throw new AgencyRefusal(409, fields.badRequestCode, `${fields.requestNumber} ${requestNumber} was already used`);
  }
  const byHolder = record[fields.holders] !== undefined;
  if (fields.accounts === undefined || !(fields.accounts in record)) {
    return { by: 'HOLDER', keys: batchKeys(body, fields.holders, fields.maxBatch, fields.batchRefusalCode) };
  }
  if (byHolder) {
    throw new AgencyRefusal(400, fields.badRequestCode, `only one of ${fields.holders} and ${fields.accounts} may be given`);
  }
  return { by: 'ACCOUNT', keys: batchKeys(body, fields.accounts, fields.maxBatch, fields.batchRefusalCode) };
}

/**
 * The request numbers a bank has seen, so a repeated one is refused. Bounded, as a bank keeps
 * its journal for a while, not for ever: the oldest are forgotten first.
 */
export class RequestNumbers {
  private readonly seen = new Set<string>();

  constructor(private readonly remember = 100_000) {}

  /** True when the number is new (and now taken). */
  claim(requestNumber: string): boolean {
    if (this.seen.has(requestNumber)) return false;
    this.seen.add(requestNumber);
    if (this.seen.size > this.remember) {
      const oldest = this.seen.values().next();
      if (!oldest.done) this.seen.delete(oldest.value);
    }
    return true;
  }
}
