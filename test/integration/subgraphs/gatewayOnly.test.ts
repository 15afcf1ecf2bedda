import { SignJWT } from 'jose';
import {
  GATEWAY_SIGNATURE_AUDIENCE,
  GATEWAY_SIGNATURE_HEADER,
  GATEWAY_SIGNATURE_ISSUER,
} from '../../../lib/gatewaySignature';
import type { ServedGraphQL } from '../../../lib/http/serveGraphQL';
import { startCourtEmulator } from '../../../mocks/court/server';
import { createPopulation } from '../../../mocks/population';
import type { Emulator } from '../../../mocks/shared/startEmulator';
import { startCourtSubgraph } from '../../../subgraphs/court';
import { postGraphQL } from '../../support/postGraphQL';
import { signedHeaders, TEST_SUBGRAPH_SECRET } from '../../support/signedHeaders';
import { PATIENT_AGENCY_TIMEOUT_MS } from '../../support/agencyLimits';

const population = createPopulation({ persons: 200 });
const { richDebtor, closedCase } = population.scenarios;
let emulator: Emulator;
let subgraph: ServedGraphQL;

beforeAll(async () => {
  emulator = await startCourtEmulator(population, { latencyMs: 0 });
  subgraph = await startCourtSubgraph({ agencyUrl: emulator.url, secret: TEST_SUBGRAPH_SECRET, timeoutMs: PATIENT_AGENCY_TIMEOUT_MS });
});
afterAll(async () => {
  await subgraph.stop();
  await emulator.close();
});
beforeEach(() => emulator.resetCalls());

/** A case, its debtors and their names: one agency call (cases); the case record names its parties, so identities is not asked. */
const CASE = 'query($n: CaseNumber!) { case(caseNumber: $n) { caseNumber debtors { ... on Person { idNumber name } ... on Company { creditCode name } } } }';
const ask = (headers: Record<string, string>, caseNumber = richDebtor.caseNumber) => postGraphQL(subgraph.url, CASE, { n: caseNumber }, headers);
const refusal = (message: string) => ({ status: 401, errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] });

/** A token signed with the right secret but other times or claims: what a stale or hand-made signature looks like. */
async function handMade(claims: Record<string, unknown>, iat: number, exp: number, secret = TEST_SUBGRAPH_SECRET): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(GATEWAY_SIGNATURE_ISSUER)
    .setAudience(GATEWAY_SIGNATURE_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(new TextEncoder().encode(secret));
}
const now = () => Math.floor(Date.now() / 1000);

describe('a subgraph answers only the gateway', () => {
  it('refuses an unsigned request with 401 UNAUTHENTICATED, and no agency is called', async () => {
    expect(await ask({})).toEqual(refusal('This subgraph answers only the gateway: the request carries no x-gateway-signature header.'));
    expect(emulator.calls).toEqual([]);
  });

  it('refuses a signature made with another secret', async () => {
    const forged = await signedHeaders('another-secret-of-at-least-32-characters!');
    expect(await ask(forged)).toEqual(refusal('This subgraph answers only the gateway: the x-gateway-signature was not made with the gateway\'s secret.'));
    expect(emulator.calls).toEqual([]);
  });

  it('refuses an expired signature', async () => {
    const stale = await handMade({ requestId: 'r-1', court: '浙0106', officer: '浙0106-007' }, now() - 90, now() - 60);
    expect(await ask({ [GATEWAY_SIGNATURE_HEADER]: stale })).toEqual(refusal('This subgraph answers only the gateway: the x-gateway-signature has expired.'));
    expect(emulator.calls).toEqual([]);
  });

  it('refuses a signature issued too long ago, whatever its expiry', async () => {
    const replayable = await handMade({ requestId: 'r-2', court: '浙0106', officer: '浙0106-007' }, now() - 3600, now() + 3600);
    expect(await ask({ [GATEWAY_SIGNATURE_HEADER]: replayable })).toEqual(refusal('This subgraph answers only the gateway: the x-gateway-signature has expired.'));
  });

  it('refuses a malformed signature and one naming no caller', async () => {
    expect(await ask({ [GATEWAY_SIGNATURE_HEADER]: 'not-a-token' })).toEqual(
      refusal('This subgraph answers only the gateway: the x-gateway-signature is not a well-formed token.'),
    );
    const nobody = await handMade({ requestId: 'r-3' }, now(), now() + 30);
    expect(await ask({ [GATEWAY_SIGNATURE_HEADER]: nobody })).toEqual(
      refusal('This subgraph answers only the gateway: the x-gateway-signature names no caller (court, citizen or service).'),
    );
    expect(emulator.calls).toEqual([]);
  });

  it('refuses before reading the body: an unsigned request that is not even JSON gets 401', async () => {
    const response = await fetch(subgraph.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
    expect({ status: response.status, ...((await response.json()) as object) }).toEqual(
      refusal('This subgraph answers only the gateway: the request carries no x-gateway-signature header.'),
    );
  });

  it('keeps /healthz open for load balancers', async () => {
    const response = await fetch(subgraph.url.replace('/graphql', '/healthz'));
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers a signed request, and every agency call carries the court, officer, case and request id', async () => {
    const headers = await signedHeaders(TEST_SUBGRAPH_SECRET, {
      requestId: 'req-gateway-only-1',
      court: '浙0106',
      officer: '浙0106-007',
      caseNumber: richDebtor.caseNumber,
    });
    const answer = await ask(headers);
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.case.caseNumber).toBe(richDebtor.caseNumber);
    expect(emulator.calls.map((c) => c.path)).toEqual(['/zxaj/v1/cases/batch']);
    // A name no case record gives still comes from identities, under the same headers.
    const named = await postGraphQL(subgraph.url, `{ person(idNumber: "${population.persons[3]!.idNumber}") { name } }`, undefined, headers);
    expect(named.errors).toBeUndefined();
    expect(emulator.calls.map((c) => c.path)).toEqual(['/zxaj/v1/cases/batch', '/zxaj/v1/identities']);
    for (const call of emulator.calls) {
      expect({
        court: decodeURIComponent(String(call.headers['x-court'])),
        officer: decodeURIComponent(String(call.headers['x-officer'])),
        caseNumber: decodeURIComponent(String(call.headers['x-case-number'])),
        requestId: call.headers['x-request-id'],
      }).toEqual({ court: '浙0106', officer: '浙0106-007', caseNumber: richDebtor.caseNumber, requestId: 'req-gateway-only-1' });
    }
  });

  it('takes a signature naming the subjects of a bulk sweep (1000 identifiers)', async () => {
    const subjects = Array.from({ length: 1000 }, (_, i) => population.persons[i % population.persons.length]!.idNumber);
    const headers = await signedHeaders(TEST_SUBGRAPH_SECRET, { caseNumber: richDebtor.caseNumber, subjects, debtors: subjects.slice(0, 10) });
    expect(headers[GATEWAY_SIGNATURE_HEADER]!.length).toBeGreaterThan(16 * 1024);
    const answer = await ask(headers);
    expect(answer.status).toBe(200);
    expect(answer.data?.case.caseNumber).toBe(richDebtor.caseNumber);
  });

  it('keeps concurrent requests\' case contexts apart', async () => {
    const sign = (requestId: string, caseNumber: string) => signedHeaders(TEST_SUBGRAPH_SECRET, { requestId, caseNumber });
    // Each request also names a person who is party to neither case, so each makes an identities call besides its case call.
    const parties = new Set(population.cases.flatMap((c) => [...c.applicants, ...c.debtors]).map((p) => (p.kind === 'PERSON' ? p.idNumber : p.creditCode)));
    const [outsiderA, outsiderB] = population.persons.filter((p) => !parties.has(p.idNumber));
    const CASE_AND_NAME = CASE.replace('query($n: CaseNumber!) {', 'query($n: CaseNumber!, $p: IdNumber!) { person(idNumber: $p) { name }');
    const askWithName = async (requestId: string, caseNumber: string, person: string) =>
      postGraphQL(subgraph.url, CASE_AND_NAME, { n: caseNumber, p: person }, await sign(requestId, caseNumber));
    const [a, b] = await Promise.all([askWithName('req-a', richDebtor.caseNumber, outsiderA!.idNumber), askWithName('req-b', closedCase.caseNumber, outsiderB!.idNumber)]);
    expect([a.errors, b.errors]).toEqual([undefined, undefined]);
    expect([a.data?.person.name, b.data?.person.name]).toEqual([outsiderA!.name, outsiderB!.name]);
    const seen = emulator.calls
      .filter((c) => c.path === '/zxaj/v1/cases/batch')
      .map((c) => [(c.body as { ah: string[] }).ah[0], c.headers['x-request-id'], decodeURIComponent(String(c.headers['x-case-number']))]);
    expect(seen.sort()).toEqual(
      [
        [richDebtor.caseNumber, 'req-a', richDebtor.caseNumber],
        [closedCase.caseNumber, 'req-b', closedCase.caseNumber],
      ].sort(),
    );
    const caseOf: Record<string, string> = { 'req-a': richDebtor.caseNumber, 'req-b': closedCase.caseNumber };
    for (const call of emulator.calls) {
      expect(decodeURIComponent(String(call.headers['x-case-number']))).toBe(caseOf[String(call.headers['x-request-id'])]);
    }
    // Per request one case call and one identities call, for the outsider only: the case records name the debtors.
    const named = emulator.calls
      .filter((c) => c.path === '/zxaj/v1/identities')
      .map((c) => [(c.body as { zjhm: string[] }).zjhm, c.headers['x-request-id']]);
    expect(named.sort()).toEqual([[[outsiderA!.idNumber], 'req-a'], [[outsiderB!.idNumber], 'req-b']].sort());
    expect(emulator.calls).toHaveLength(4);
  });

  it('refuses to start without a secret of at least 32 characters', async () => {
    await expect(startCourtSubgraph({ agencyUrl: emulator.url, secret: 'short' })).rejects.toThrow(
      'The court subgraph\'s secret must be at least 32 characters long.',
    );
  });
});
