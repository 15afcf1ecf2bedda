/**
 * A subgraph runs a mutation only under a gateway signature made for a mutation: a signature
 * taken off a read cannot be replayed with a control measure in its body. The bank subgraph's
 * freeze at a bank that takes none online is refused before any bank is asked, so no agency
 * is needed here: what matters is whether the request got that far.
 */
import type { ServedGraphQL } from '../../lib/serveGraphQL';
import { startBankSubgraph } from '../../subgraphs/bank';
import { postGraphQL } from '../support/postGraphQL';
import { signedHeaders, TEST_CASE_NUMBER, TEST_SUBGRAPH_SECRET } from '../support/signedHeaders';

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

describe('a mutation at a subgraph', () => {
  it('runs under a signature for a mutation', async () => {
    const answer = await freezeSignedFor('mutation');
    // Past the signature check: the bank subgraph's own refusal (RCC freezes on paper only).
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'CAPABILITY_UNAVAILABLE', provider: 'RCC' });
  });

  it.each([
    ['a query', 'query' as const, 'a query'],
    ['no stated kind (a gateway from before the claim)', undefined, 'an operation of no stated kind'],
  ])('is refused with 403 FORBIDDEN under a signature for %s, before any resolver runs', async (_what, operation, named) => {
    const answer = await freezeSignedFor(operation);
    expect(answer.status).toBe(403);
    expect(answer.data).toBeUndefined();
    expect(answer.errors).toEqual([
      {
        message: `This subgraph runs a mutation only when the gateway signed the request for one; this signature is for ${named}.`,
        extensions: { code: 'FORBIDDEN', reason: 'NOT_SIGNED_FOR_MUTATION' },
      },
    ]);
  });

  it('leaves reads alone: a query runs under a signature for a query', async () => {
    const answer = await postGraphQL(subgraph.url, '{ banks { code capabilities } }', undefined, await signedHeaders(TEST_SUBGRAPH_SECRET, { ...claims, operation: 'query' }));
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.banks).toEqual(expect.arrayContaining([{ code: 'RCC', capabilities: ['QUERY'] }]));
  });
});
