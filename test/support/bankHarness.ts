import nock from 'nock';
import { useNockAtAgencyEdge } from './nockAtAgencyEdge';
import type { Interceptor, Scope } from 'nock';
import { connectBanks, type ConnectedBank } from '../../subgraphs/bank/client';
import { createBankLoaders } from '../../subgraphs/bank/loaders';
import { AgencyError } from '../../subgraphs/shared/agencyError';

/** Ids of real form (they pass the identifier checks), for answers that name holders. */
export const PERSON_ID = '330106197504189356';
export const OTHER_PERSON_ID = '11010519491231002X';
export const COMPANY_ID = '91330106MA4X00001R';

/**
 * Per-call limit of the clients under test; delayed replies go past it. Not shorter: a
 * file's first call on a loaded 2-core machine (CI) has taken over 200 ms.
 */
export const TIMEOUT_MS = 1000;

/** No real network; every mock set up in a test must be used by it. */
export function nockAtTheBankEdge(): void {
  useNockAtAgencyEdge();
}

/** The whole of an error a client threw: class, message, extensions. */
export async function failureOf(promise: Promise<unknown>): Promise<{ agencyError: boolean; message: string; extensions: unknown }> {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error(`expected an Error, got ${String(error)}`);
  return { agencyError: error instanceof AgencyError, message: error.message, extensions: error instanceof AgencyError ? error.extensions : undefined };
}

/** One bank wired to a base URL the way the subgraph wires it. */
export function connectOne(code: string, baseUrl: string): ConnectedBank {
  const bank = connectBanks({ NCB: baseUrl, HZCB: baseUrl, RCC: baseUrl, WEB: baseUrl }, TIMEOUT_MS).find((b) => b.config.code === code);
  if (!bank) throw new Error(`no bank ${code}`);
  return bank;
}

export function loadersFor(bank: ConnectedBank) {
  return createBankLoaders([bank]).banks[0]!;
}

export type FailureCase = [string, (at: Interceptor) => Scope, { agencyError: true; message: string; extensions: Record<string, unknown> }];

/**
 * The ways every bank can fail, in that bank's own error shape: its refusal, its 500, an HTML
 * page, a wrong shape, a cut-off body, no answer in time, a refused connection.
 */
export function failureCases(bank: {
  code: string;
  refusal: { status: number; body: unknown; agencyCode: string; message: string };
  serverError: { body: unknown; agencyCode: string; message: string };
  wrongShape: { body: unknown; at: string };
}): FailureCase[] {
  const who = `The bank ${bank.code}`;
  const failed = (code: string, message: string, extra: Record<string, unknown> = {}) => ({
    agencyError: true as const,
    message,
    extensions: { code, agency: 'bank', provider: bank.code, ...extra },
  });
  return [
    [
      'its own refusal',
      (at) => at.reply(bank.refusal.status, bank.refusal.body as nock.Body),
      failed('AGENCY_REFUSED', `${who} refused the request (HTTP ${bank.refusal.status}): ${bank.refusal.message}`, {
        agencyCode: bank.refusal.agencyCode,
        httpStatus: bank.refusal.status,
      }),
    ],
    [
      'its own 500',
      (at) => at.reply(500, bank.serverError.body as nock.Body),
      failed('AGENCY_UNAVAILABLE', `${who} failed with HTTP 500: ${bank.serverError.message}`, {
        agencyCode: bank.serverError.agencyCode,
        httpStatus: 500,
      }),
    ],
    [
      'an HTML page',
      (at) => at.reply(200, '<html><body>Service Temporarily Unavailable</body></html>'),
      failed('AGENCY_BAD_RESPONSE', `${who} answered something that is not JSON.`, { httpStatus: 200 }),
    ],
    [
      'a wrong shape',
      (at) => at.reply(200, bank.wrongShape.body as nock.Body),
      failed('AGENCY_BAD_RESPONSE', `${who} answered in an unexpected shape at ${bank.wrongShape.at}.`),
    ],
    [
      'a cut-off body',
      (at) => at.reply(200, '{"rows":[{"a'),
      failed('AGENCY_BAD_RESPONSE', `${who} answered something that is not JSON.`, { httpStatus: 200 }),
    ],
    [
      'no answer in time',
      (at) => at.delay(TIMEOUT_MS * 5).reply(200, {}),
      failed('AGENCY_TIMEOUT', `${who} did not answer within ${TIMEOUT_MS} ms.`),
    ],
    [
      'a refused connection',
      (at) => at.replyWithError({ code: 'ECONNREFUSED' }),
      failed('AGENCY_UNAVAILABLE', `${who} could not be reached.`),
    ],
  ];
}

/** A JSON request body as nock hands it to a reply function. */
export function bodyOf(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null) throw new Error('expected a JSON request body');
  return body as Record<string, unknown>;
}
