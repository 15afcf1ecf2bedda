/**
 * A subgraph runs a mutation only under the gateway's signature of that very request (made for
 * a mutation, bound to its query and variables): a signature taken off a read, or off another
 * mutation, cannot be replayed with a control measure in its body. The bank subgraph's
 * freeze at a bank that takes none online is refused before any bank is asked, so no agency
 * is needed here: what matters is whether the request got that far.
 */
import type { ServedGraphQL } from '../../../lib/http/serveGraphQL';
import { startBankSubgraph } from '../../../subgraphs/bank';
import { postGraphQL } from '../../support/postGraphQL';
import { mutationClaims, signedHeaders, TEST_CASE_NUMBER, TEST_SUBGRAPH_SECRET } from '../../support/signedHeaders';

/** Nothing listens here: a request that reached a bank would fail with AGENCY_UNAVAILABLE. */
const NOWHERE = 'http://127.0.0.1:9';
let subgraph: ServedGraphQL;

beforeAll(async () => {
  subgraph = await startBankSubgraph({ bankUrls: { NCB: NOWHERE, HZCB: NOWHERE, RCC: NOWHERE, WEB: NOWHERE }, secret: TEST_SUBGRAPH_SECRET, timeoutMs: 500 });
});
afterAll(async () => {
  await subgraph.stop();
});

const FREEZE = `mutation($input: FreezeDepositInput!) { freezeDeposit(input: $input) { freeze { id } refusal { code } } }`;
const input = { requestId: 'so-1', bankCode: 'RCC', accountNumber: '6221000000000001', documentNumber: `${TEST_CASE_NUMBER}之一`, termDays: 30 };
const claims = { caseNumber: TEST_CASE_NUMBER, debtors: ['330106197504189356'], caseOutstandingFen: '100000' };
const freezeSignedFor = async (operation?: 'query' | 'mutation') =>
  postGraphQL(subgraph.url, FREEZE, { input }, await signedHeaders(TEST_SUBGRAPH_SECRET, { ...claims, ...(operation ? { operation } : {}) }));
const forbidden = (reason: string, message: string) => ({ status: 403, errors: [{ message, extensions: { code: 'FORBIDDEN', reason } }] });
const ANOTHER = 'This subgraph runs a mutation only under the signature of that very request; this one was made for another query or other variables.';

describe('a mutation at a subgraph', () => {
  it("runs under the gateway's signature of that very request", async () => {
    const answer = await postGraphQL(subgraph.url, FREEZE, { input }, await signedHeaders(TEST_SUBGRAPH_SECRET, { ...claims, ...mutationClaims(FREEZE, { input }) }));
    // Past the signature check: the bank subgraph's own refusal (RCC freezes on paper only).
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'CAPABILITY_UNAVAILABLE', provider: 'RCC' });
  });

  it("is refused under a mutation's signature made for other variables or another query", async () => {
    const signed = await signedHeaders(TEST_SUBGRAPH_SECRET, { ...claims, ...mutationClaims(FREEZE, { input }) });
    const otherAccount = await postGraphQL(subgraph.url, FREEZE, { input: { ...input, accountNumber: '6221000000000002' } }, signed);
    expect(otherAccount).toMatchObject(forbidden('SIGNED_FOR_ANOTHER_REQUEST', ANOTHER));
    const otherQuery = await postGraphQL(subgraph.url, FREEZE.replace('refusal { code }', 'refusal { code message }'), { input }, signed);
    expect(otherQuery).toMatchObject(forbidden('SIGNED_FOR_ANOTHER_REQUEST', ANOTHER));
    // Signed for a mutation but for no particular request.
    const unbound = await freezeSignedFor('mutation');
    expect(unbound).toMatchObject(forbidden('SIGNED_FOR_ANOTHER_REQUEST', ANOTHER));
  });

  it('reckons the same hash whatever the order of the keys in the variables', async () => {
    const reordered = { termDays: input.termDays, documentNumber: input.documentNumber, accountNumber: input.accountNumber, bankCode: input.bankCode, requestId: input.requestId };
    const signed = await signedHeaders(TEST_SUBGRAPH_SECRET, { ...claims, ...mutationClaims(FREEZE, { input: reordered }) });
    const answer = await postGraphQL(subgraph.url, FREEZE, { input }, signed);
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'CAPABILITY_UNAVAILABLE' });
  });

  it.each([
    ['a query', 'query' as const, 'a query'],
    ['no stated kind (a gateway from before the claim)', undefined, 'an operation of no stated kind'],
  ])('is refused with 403 FORBIDDEN under a signature for %s, before any resolver runs', async (_what, operation, named) => {
    const answer = await freezeSignedFor(operation);
    expect(answer.data).toBeUndefined();
    expect(answer).toEqual(
      forbidden('NOT_SIGNED_FOR_MUTATION', `This subgraph runs a mutation only when the gateway signed the request for one; this signature is for ${named}.`),
    );
  });

  it('leaves reads alone: a query runs under a signature for a query', async () => {
    const answer = await postGraphQL(subgraph.url, '{ banks { code capabilities } }', undefined, await signedHeaders(TEST_SUBGRAPH_SECRET, { ...claims, operation: 'query' }));
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.banks).toEqual(expect.arrayContaining([{ code: 'RCC', capabilities: ['QUERY'] }]));
  });
});
