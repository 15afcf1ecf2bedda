import { AsyncLocalStorage } from 'node:async_hooks';
import type { GatewayClaims } from '../../lib/gatewaySignature';

/**
 * Who asks and why, as the gateway signed it, for the duration of one subgraph request:
 * set once per request by `startSubgraph` after the signature is verified, read by
 * `AgencyHttp` so every agency call carries it (X-Road style: client, user, issue).
 * Kept in an AsyncLocalStorage so no client or loader has to pass it along by hand.
 */
export type CaseContext = GatewayClaims;

const storage = new AsyncLocalStorage<CaseContext>();

/** Runs `fn` (and everything asynchronous it starts) within `context`. */
export function runInCaseContext<T>(context: CaseContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The verified context of the current request, or undefined outside one (unit tests, startup). */
export function currentCaseContext(): CaseContext | undefined {
  return storage.getStore();
}

/**
 * The headers an agency receives with each call. Values are percent-encoded UTF-8
 * (`encodeURIComponent`), since HTTP header values are bytes and court codes and case
 * numbers are Chinese: `x-court: %E6%B5%990106`. Absent facts send no header.
 */
export function caseContextHeaders(context: CaseContext | undefined = currentCaseContext()): Record<string, string> {
  if (context === undefined) return {};
  const headers: Record<string, string> = {};
  const put = (name: string, value: string | undefined) => {
    if (value !== undefined) headers[name] = encodeURIComponent(value);
  };
  put('x-request-id', context.requestId);
  put('x-court', context.court);
  put('x-officer', context.officer);
  put('x-case-number', context.caseNumber);
  return headers;
}
