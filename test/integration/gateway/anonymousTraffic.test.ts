/**
 * Issue 13, defect 5: anonymous CPU amplification. Through the whole stack: a document of
 * 3,000 `__typename` is refused with the limit refusal whoever sends it, before any agency;
 * unauthenticated traffic (no token, or a refused one) is limited per client address (429,
 * retry-after), and a court goes on answering while another address floods.
 */
import { randomUUID } from 'node:crypto';
import { issueDevToken } from '../../../gateway/auth/devIssuer';
import type { RunningGateway } from '../../../gateway/createGateway';
import { QUERY_LIMIT_MESSAGES } from '../../../gateway/plugins/limits';
import { officerHeaders } from '../../support/courtRequest';
import { postGraphQL } from '../../support/postGraphQL';
import { callCounts, useStack } from '../../support/stack';
import { startExtraGateway } from '../../support/extraGateway';

const stack = useStack({ persons: 100 });

/** As many `__typename` as the token limit admits (3,000 tokens with the braces). */
const TYPENAMES = `{ ${'__typename '.repeat(2998)}}`;
const COST_REFUSAL = [{ message: QUERY_LIMIT_MESSAGES.COST, extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'COST' } }];

const agencyCalls = () => Object.values(callCounts(stack().emulators)).reduce((a, b) => a + b, 0);

async function forgedToken(): Promise<string> {
  const [header, payload] = (await issueDevToken({ kind: 'court', court: '浙0106', officer: '浙0106-007', roles: ['query'] })).split('.');
  return `${header}.${payload}.${'A'.repeat(86)}`;
}

describe('a document of 3,000 `__typename`', () => {
  it.each([
    ['without a token', async () => ({})],
    ['with a court officer\'s token', async () => officerHeaders(stack().population, stack().population.scenarios.richDebtor.caseNumber)],
    ['with a badly signed token', async () => ({ authorization: `Bearer ${await forgedToken()}` })],
  ])('is refused %s with the limit refusal, before any agency is asked', async (_, headers) => {
    const answer = await postGraphQL(stack().gateway.url, TYPENAMES, undefined, await headers());
    expect(answer).toEqual({ status: 400, errors: COST_REFUSAL });
    expect(agencyCalls()).toBe(0);
  });

  it('is audited as refused for the court that sent it', async () => {
    const { gateway, population } = stack();
    await postGraphQL(gateway.url, TYPENAMES, undefined, await officerHeaders(population, population.scenarios.richDebtor.caseNumber));
    const [latest] = (await gateway.audit.reviewOf('浙0106')).slice(-1);
    expect(latest).toMatchObject({ caller: { kind: 'court', court: '浙0106' }, outcome: 'REFUSED', errorCodes: ['GRAPHQL_VALIDATION_FAILED'] });
  });
});

describe('unauthenticated traffic per client address', () => {
  const BUDGET = 3;
  let behindProxy: RunningGateway;
  let direct: RunningGateway;
  beforeAll(async () => {
    // A key prefix of their own: budgets in a shared Redis are no other test's.
    const rateLimit = (tag: string) => ({ anonymous: { points: BUDGET, duration: 60 }, keyPrefix: `test:rate:${tag}:${randomUUID()}` });
    behindProxy = await startExtraGateway(stack(), { trustedProxies: ['loopback'], rateLimit: rateLimit('proxy'), redisUrl: process.env.REDIS_URL || undefined });
    direct = await startExtraGateway(stack(), { rateLimit: rateLimit('direct'), redisUrl: process.env.REDIS_URL || undefined });
  });
  afterAll(async () => {
    await behindProxy?.stop();
    await direct?.stop();
  });

  const from = (address: string, headers: Record<string, string> = {}) => ({ 'x-forwarded-for': address, ...headers });

  it('answers 429 with retry-after once an address has spent its budget; other addresses and courts go on', async () => {
    const flooder = '203.0.113.7';
    for (let i = 0; i < BUDGET; i++) expect(await postGraphQL(behindProxy.url, '{ __typename }', undefined, from(flooder))).toEqual({ status: 200, data: { __typename: 'Query' } });

    const response = await fetch(behindProxy.url, { method: 'POST', headers: { 'content-type': 'application/json', ...from(flooder) }, body: JSON.stringify({ query: '{ __typename }' }) });
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string; retryAfter: number } }[] };
    expect(response.status).toBe(429);
    const retryAfter = Number(response.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(body).toEqual({ errors: [{ message: `Too many requests from this address; retry after ${retryAfter} seconds.`, extensions: { code: 'RATE_LIMITED', retryAfter } }] });

    // A refused token is no token: it counts on the address too.
    expect((await postGraphQL(behindProxy.url, '{ __typename }', undefined, from(flooder, { authorization: `Bearer ${await forgedToken()}` }))).status).toBe(429);
    expect((await postGraphQL(behindProxy.url, '{ __typename }', undefined, from('198.51.100.2'))).status).toBe(200);

    // A court officer is counted on the court's budget, even from the flooding address.
    const { population } = stack();
    const rich = population.scenarios.richDebtor;
    const officer = await officerHeaders(population, rich.caseNumber);
    for (const address of [flooder, '198.51.100.2']) {
      const answer = await postGraphQL(behindProxy.url, `{ case(caseNumber: "${rich.caseNumber}") { caseNumber } }`, undefined, from(address, officer));
      expect(answer).toEqual({ status: 200, data: { case: { caseNumber: rich.caseNumber } } });
    }
  });

  it('counts by the socket\'s address when no proxy is trusted, whatever x-forwarded-for says', async () => {
    for (let i = 0; i < BUDGET; i++) expect((await postGraphQL(direct.url, '{ __typename }', undefined, from(`192.0.2.${i + 1}`))).status).toBe(200);
    const answer = await postGraphQL(direct.url, '{ __typename }', undefined, from('192.0.2.200'));
    expect(answer).toMatchObject({ status: 429, errors: [{ extensions: { code: 'RATE_LIMITED' } }] });
  });
});
