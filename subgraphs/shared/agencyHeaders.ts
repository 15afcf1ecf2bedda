import { AsyncLocalStorage } from 'node:async_hooks';
import type { SignedRequest } from './signedRequest';

/**
 * The headers every agency call of one request carries (X-Road style: client, user, issue).
 * The one ambient value left on the subgraph side: clients are shared by all requests and
 * their calls run deep inside loaders, so threading the request through every client method
 * would widen every agency API for a transport detail. Only `AgencyHttp` reads it; decisions
 * read `context.signed` (signedRequest.ts), and the scope holds headers, not the claims.
 */
const storage = new AsyncLocalStorage<Readonly<Record<string, string>>>();

/** Runs `fn` (and everything asynchronous it starts) with the agency headers of `signed`. */
export function withAgencyHeaders<T>(signed: SignedRequest, fn: () => T): T {
  return storage.run(agencyHeaders(signed), fn);
}

/** The agency headers of the request being served, or none outside one (unit tests, startup). */
export function currentAgencyHeaders(): Readonly<Record<string, string>> {
  return storage.getStore() ?? {};
}

/**
 * The headers an agency receives with each call. Values are percent-encoded UTF-8
 * (`encodeURIComponent`), since HTTP header values are bytes and court codes and case
 * numbers are Chinese: `x-court: %E6%B5%990106`. Absent facts send no header.
 */
export function agencyHeaders(signed: SignedRequest | undefined): Record<string, string> {
  if (signed === undefined) return {};
  const headers: Record<string, string> = {};
  const put = (name: string, value: string | undefined) => {
    if (value !== undefined) headers[name] = encodeURIComponent(value);
  };
  put('x-request-id', signed.requestId);
  put('x-court', signed.court);
  put('x-officer', signed.officer);
  put('x-case-number', signed.caseNumber);
  return headers;
}
