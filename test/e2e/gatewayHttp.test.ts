/**
 * The gateway's HTTP layer through the whole stack: health, the explorer, introspection, and every
 * request it refuses before running an operation, each answered as a coded GraphQL JSON error
 * (never a 500 or an HTML page) and each leaving one REFUSED record in the audit, with no
 * intent (nothing was asked of any subgraph or agency).
 */
import { officerHeaders } from '../support/courtRequest';
import { postGraphQL } from '../support/postGraphQL';
import { callCounts, useStack } from '../support/stack';

const stack = useStack({ persons: 100 });

interface Row {
  outcome: string;
  error_codes: string[];
  operation_name: string | null;
  caller_kind: string;
}

/** The audit records written since `afterId`, oldest first. */
async function recordsAfter(afterId: number): Promise<Row[]> {
  const { rows } = await stack().database.query<Row>(
    `SELECT outcome, error_codes, operation_name, caller_kind FROM "${stack().gateway.audit.table}" WHERE id > $1 ORDER BY id`,
    [afterId],
  );
  return rows;
}

async function lastRecordId(): Promise<number> {
  const { rows } = await stack().database.query<{ last: string }>(`SELECT coalesce(max(id), 0) AS last FROM "${stack().gateway.audit.table}"`);
  return Number(rows[0]!.last);
}

/** Sends one HTTP request and returns the answer with the audit records it left. */
async function exchange(init: RequestInit & { search?: string }) {
  const before = await lastRecordId();
  const response = await fetch(`${stack().gateway.url}${init.search ?? ''}`, init);
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type'), text, records: await recordsAfter(before) };
}

describe('gateway over HTTP', () => {
  it('answers /healthz', async () => {
    const response = await fetch(stack().gateway.url.replace('/graphql', '/healthz'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it("serves the explorer to a browser's GET /graphql in development, never Sandbox, and audits no page view", async () => {
    const answer = await exchange({ headers: { accept: 'text/html' } });
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('id="explorer-defaults"');
    expect(answer.text).not.toContain('embeddable-sandbox');
    // A page view carries no data and asks no agency (test/e2e/explorer.test.ts runs the page itself).
    expect(answer.records).toEqual([]);
  });

  it('allows introspection in development', async () => {
    const answer = await postGraphQL(stack().gateway.url, '{ __schema { queryType { name } } }');
    expect(answer.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });
});

describe('requests refused before an operation runs: a coded JSON error and one REFUSED record each', () => {
  const json = async () => ({ 'content-type': 'application/json', ...(await officerHeaders(stack().population, stack().population.scenarios.richDebtor.caseNumber)) });
  const post = async (body: string, headers: Record<string, string> = {}) => exchange({ method: 'POST', headers: { ...(await json()), ...headers }, body });

  it.each<[string, () => Promise<Awaited<ReturnType<typeof exchange>>>, number, string, string]>([
    ['a batched JSON array', async () => post(JSON.stringify([{ query: '{ courts { code } }' }, { query: '{ banks { code } }' }])), 400, 'BATCH_NOT_SUPPORTED',
      'Batched requests are not supported: send one operation per request, as a JSON object.'],
    ['malformed JSON', async () => post('{ "query": '), 400, 'BAD_REQUEST', 'The request body is not a JSON object.'],
    ['a JSON body that is not an object', async () => post('"{ courts { code } }"'), 400, 'BAD_REQUEST', 'The request body is not a JSON object.'],
    ['a body over the size limit (1 MB)', async () => post(JSON.stringify({ query: `{ courts { code } } # ${'x'.repeat(1_100_000)}` })), 413, 'PAYLOAD_TOO_LARGE',
      'The request body is larger than the server accepts.'],
    ['a body that is not JSON', async () => post('<query/>', { 'content-type': 'application/xml' }), 400, 'BAD_REQUEST',
      'POST body missing, invalid Content-Type, or JSON object has no keys.'],
    ['an empty operationName', async () => post(JSON.stringify({ query: 'query Courts { courts { code } }', operationName: '' })), 400, 'OPERATION_NOT_FOUND',
      'The document has no operation named "".'],
    ['an unknown operationName', async () => post(JSON.stringify({ query: 'query Courts { courts { code } }', operationName: 'Banks' })), 400, 'OPERATION_NOT_FOUND',
      'The document has no operation named "Banks".'],
    ['several named operations and no operationName', async () => post(JSON.stringify({ query: 'query A { courts { code } } query B { banks { code } }' })), 400,
      'OPERATION_NOT_FOUND', 'The document holds several operations: name the one to run in `operationName`.'],
    ['a subscription', async () => post(JSON.stringify({ query: 'subscription Watch { courts { code } }' })), 400, 'SUBSCRIPTION_NOT_SUPPORTED',
      'Subscriptions are not supported: send a query or a mutation.'],
    // Apollo Server's own answer (200, so clients of automatic persisted queries resend with the query).
    ['a persisted query hash the gateway does not hold', async () => post(JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } })), 200,
      'PERSISTED_QUERY_NOT_FOUND', 'PersistedQueryNotFound'],
  ])('%s', async (_what, send, status, code, message) => {
    const answer = await send();
    expect(answer.status).toBe(status);
    expect(answer.contentType).toMatch(/^application\/json/);
    expect(JSON.parse(answer.text)).toEqual({ errors: [{ message, extensions: { code } }] });
    expect(answer.records.map((r) => [r.outcome, r.error_codes])).toEqual([['REFUSED', [code]]]);
    expect(Object.values(callCounts(stack().emulators)).every((n) => n === 0)).toBe(true);
  });

  it('several anonymous operations: GRAPHQL_VALIDATION_FAILED, 400, refused', async () => {
    const answer = await post(JSON.stringify({ query: '{ courts { code } } { banks { code } }' }));
    expect(answer.status).toBe(400);
    const body = JSON.parse(answer.text) as { errors: { extensions: { code: string } }[] };
    expect(body.errors.map((e) => e.extensions.code)).toEqual(['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_VALIDATION_FAILED']);
    expect(answer.records.map((r) => [r.outcome, r.error_codes])).toEqual([['REFUSED', ['GRAPHQL_VALIDATION_FAILED']]]);
  });

  it('a GraphQL GET that could be a cross-site request (CSRF prevention): BAD_REQUEST, 400, refused', async () => {
    const answer = await exchange({ search: `?query=${encodeURIComponent('{ courts { code } }')}` });
    expect(answer.status).toBe(400);
    const body = JSON.parse(answer.text) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors).toEqual([{ message: expect.stringMatching(/^This operation has been blocked as a potential Cross-Site Request Forgery/), extensions: { code: 'BAD_REQUEST' } }]);
    expect(answer.records.map((r) => [r.outcome, r.error_codes])).toEqual([['REFUSED', ['BAD_REQUEST']]]);
  });

  it('a POST as text/plain without a preflight header (CSRF prevention): BAD_REQUEST, 400, refused', async () => {
    const answer = await post(JSON.stringify({ query: '{ courts { code } }' }), { 'content-type': 'text/plain' });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text).errors[0].extensions).toEqual({ code: 'BAD_REQUEST' });
    expect(answer.records.map((r) => [r.outcome, r.error_codes])).toEqual([['REFUSED', ['BAD_REQUEST']]]);
  });

  it('a mutation sent as GET: 405 (POST only), refused (not failed), with the officer who sent it', async () => {
    const mutation = 'mutation Release { releaseDepositFreeze(input: { measureId: "m-1", documentNumber: "d-1" }) { refusal { code } } }';
    const answer = await exchange({
      search: `?query=${encodeURIComponent(mutation)}`,
      headers: { ...(await officerHeaders(stack().population, stack().population.scenarios.richDebtor.caseNumber, { roles: ['query', 'control'] })), 'apollo-require-preflight': 'true' },
    });
    expect(answer.status).toBe(405);
    expect(JSON.parse(answer.text)).toEqual({ errors: [{ message: 'GET requests only support query operations, not mutation operations', extensions: { code: 'BAD_REQUEST' } }] });
    expect(answer.records).toEqual([{ outcome: 'REFUSED', error_codes: ['BAD_REQUEST'], operation_name: 'Release', caller_kind: 'court' }]);
    expect(Object.values(callCounts(stack().emulators)).every((n) => n === 0)).toBe(true);
  });
});
