/**
 * The audit of one request (gateway/audit/requestAudit.ts) against the real log on each
 * backend: one intent however many calls await it, the final record after it in the chain,
 * a 503 whenever either cannot be written, and nothing let out once the answer is settled.
 */
import { HeaderMap, type HTTPGraphQLResponse } from '@apollo/server';
import { AuditLog } from '../../../lib/audit/auditLog';
import type { AuditRecordInput } from '../../../lib/audit/auditRecord';
import { AUDIT_UNAVAILABLE_MESSAGE, RequestAudit } from '../../../gateway/audit/requestAudit';
import type { ArrivedRequest } from '../../../lib/http/serveGraphQL';
import { BACKENDS, DEBTOR, useAuditDatabase } from '../../support/auditHarness';

const T0 = new Date('2026-11-25T08:00:00.000Z');
const POST: ArrivedRequest = { method: 'POST', search: '', body: { query: '{ courts { code } }' } };

/** A clock that moves only when told. */
function clock() {
  let now = T0.getTime();
  return { now: () => new Date(now), advance: (ms: number) => void (now += ms) };
}

function answer(status: number, body: unknown): HTTPGraphQLResponse {
  return { status, headers: new HeaderMap([['content-type', 'application/json']]), body: { kind: 'complete', string: JSON.stringify(body) } };
}

const UNAVAILABLE = { errors: [{ message: AUDIT_UNAVAILABLE_MESSAGE, extensions: { code: 'AUDIT_UNAVAILABLE' } }] };
const bodyOf = (a: HTTPGraphQLResponse) => (a.body.kind === 'complete' ? JSON.parse(a.body.string) : undefined);

/** A request's audit on `log`, as an officer's request in a case, with what authorization learned. */
function officerRequest(log: Pick<AuditLog, 'append'>, requestId: string, time = clock()) {
  const audit = new RequestAudit({ log, requestId, now: time.now });
  const live = { ...audit.context };
  audit.describe(live, () => ({ operationName: 'Look', query: 'query Look { person { name } }' }));
  Object.assign(live, {
    caller: { kind: 'court', court: '浙0106', officer: '浙0106-007', roles: ['query'] },
    caseNumber: '(2025)浙0106执1001号',
    reached: { subjects: [DEBTOR], fields: ['Query.person'] },
  });
  return { audit, live, time };
}

describe.each(BACKENDS)('RequestAudit on $name', (backend) => {
  const { db, table } = useAuditDatabase(backend);
  const rows = async () =>
    (await db().query<{ id: string; request_id: string; outcome: string; agencies: string[]; error_codes: string[]; court: string | null; latency_ms: number }>(
      `SELECT id, request_id, outcome, agencies, error_codes, court, latency_ms FROM "${table()}" ORDER BY id`,
    )).rows;

  it('writes one intent however many calls await it, then the final record after it, naming the subgraphs called', async () => {
    const log = await AuditLog.open(db(), { table: table() });
    const { audit, live, time } = officerRequest(log, 'req-1');
    await Promise.all([audit.intent(), audit.intent(), audit.intent()]);
    live.subgraphsCalled = new Set(['court', 'vehicle']);
    time.advance(42);
    audit.answered({ status: 200, hasData: true, errorCodes: [] });
    const sent = answer(200, { data: { person: { name: 'Zhang San' } } });
    expect(await audit.settle(sent, POST)).toBe(sent);
    expect(await rows()).toEqual([
      { id: '1', request_id: 'req-1', outcome: 'INTENT', agencies: [], error_codes: [], court: '浙0106', latency_ms: 0 },
      { id: '2', request_id: 'req-1', outcome: 'ANSWERED', agencies: ['court', 'vehicle'], error_codes: [], court: '浙0106', latency_ms: 42 },
    ]);
  });

  it.each([
    ['an officer', ['query'], undefined, 'court', null],
    ["a search service's officer", ['query'], 'SWEEP', 'court', 'SWEEP'],
    ['a supervisor as the court', ['query', 'supervise'], 'FOLLOW_UP', 'supervisor-as-court', 'FOLLOW_UP'],
  ] as const)("gives the intent and the final record of %s the token's purpose", async (_, roles, purpose, kind, stored) => {
    const log = await AuditLog.open(db(), { table: table() });
    const { audit, live } = officerRequest(log, 'req-1');
    live.caller = { kind: 'court', court: '浙0106', officer: '浙0106-007', roles: [...roles], ...(purpose ? { purpose } : {}) };
    await audit.intent();
    audit.answered({ status: 200, hasData: true, errorCodes: [] });
    await audit.settle(answer(200, { data: { person: { name: 'Zhang San' } } }), POST);
    expect((await db().query(`SELECT outcome, caller_kind, purpose FROM "${table()}" ORDER BY id`)).rows).toEqual([
      { outcome: 'INTENT', caller_kind: kind, purpose: stored },
      { outcome: 'ANSWERED', caller_kind: kind, purpose: stored },
    ]);
    expect(await log.verify()).toEqual({ ok: true, count: 2 });
  });

  it('writes the final record only once an intent in flight is through, so the chain holds the intent first', async () => {
    const real = await AuditLog.open(db(), { table: table() });
    const events: string[] = [];
    const log = {
      append: async (record: AuditRecordInput) => {
        events.push(`write ${record.outcome}`);
        const written = await real.append(record);
        events.push(`committed ${record.outcome}`);
        return written;
      },
    };
    const { audit } = officerRequest(log, 'req-1');
    const intent = audit.intent();
    // Answered while the intent is still being committed (a refusal racing a lookup).
    const settled = audit.settle(answer(400, { errors: [{ message: 'no', extensions: { code: 'FORBIDDEN' } }] }), POST);
    await Promise.all([intent, settled]);
    expect(events).toEqual(['write INTENT', 'committed INTENT', 'write REFUSED', 'committed REFUSED']);
    expect((await rows()).map((r) => r.outcome)).toEqual(['INTENT', 'REFUSED']);
  });

  it('writes no intent for a request that calls nothing, and lets nothing out once it is being answered', async () => {
    const log = await AuditLog.open(db(), { table: table() });
    const { audit } = officerRequest(log, 'req-1');
    await audit.settle(answer(400, { errors: [{ message: 'no', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] }), POST);
    await expect(audit.intent()).rejects.toMatchObject({ extensions: { code: 'AUDIT_UNAVAILABLE' } });
    expect((await rows()).map((r) => [r.outcome, r.error_codes])).toEqual([['REFUSED', ['GRAPHQL_VALIDATION_FAILED']]]);
  });
});

describe('RequestAudit failing closed', () => {
  /** A log whose appends fail from the `failFrom`-th on (1-based), recording those that went through. */
  function flakyLog(failFrom: number) {
    const written: AuditRecordInput[] = [];
    let n = 0;
    return {
      written,
      append: async (record: AuditRecordInput) => {
        n += 1;
        if (n >= failFrom) throw new Error('connection refused');
        written.push(record);
        return { id: n, hash: '', prevHash: '' };
      },
    };
  }

  it('an intent that cannot be written: every call waiting on it is refused, and the answer is a 503 whatever it was', async () => {
    const log = flakyLog(1);
    const { audit } = officerRequest(log, 'req-1');
    const calls = await Promise.allSettled([audit.intent(), audit.intent()]);
    expect(calls.map((c) => c.status)).toEqual(['rejected', 'rejected']);
    for (const c of calls) expect((c as PromiseRejectedResult).reason).toMatchObject({ message: AUDIT_UNAVAILABLE_MESSAGE, extensions: { code: 'AUDIT_UNAVAILABLE' } });
    const sent = await audit.settle(answer(200, { data: { person: { name: 'Zhang San' } } }), POST);
    expect(sent.status).toBe(503);
    expect(bodyOf(sent)).toEqual(UNAVAILABLE);
  });

  it('an intent written but the final record not: 503, nothing of the answer leaves', async () => {
    const log = flakyLog(2);
    const { audit } = officerRequest(log, 'req-1');
    await audit.intent();
    const sent = await audit.settle(answer(200, { data: { person: { name: 'the debtor owns a flat' } } }), POST);
    expect(sent.status).toBe(503);
    expect(JSON.stringify(bodyOf(sent))).not.toContain('flat');
    // Only the refusal's own headers: its type, and the id of the request's audit record.
    expect(Object.fromEntries(sent.headers)).toEqual({ 'content-type': expect.any(String), 'x-request-id': 'req-1' });
    expect(log.written.map((r) => r.outcome)).toEqual(['INTENT']);
  });

  it('records the answer that left when the intent failed but the log came back: FAILED, AUDIT_UNAVAILABLE', async () => {
    let up = false;
    const written: AuditRecordInput[] = [];
    const log = {
      append: async (record: AuditRecordInput) => {
        if (!up) throw new Error('connection refused');
        written.push(record);
        return { id: 1, hash: '', prevHash: '' };
      },
    };
    const { audit } = officerRequest(log, 'req-1');
    await expect(audit.intent()).rejects.toThrow(AUDIT_UNAVAILABLE_MESSAGE);
    up = true;
    expect((await audit.settle(answer(503, UNAVAILABLE), POST)).status).toBe(503);
    expect(written).toEqual([expect.objectContaining({ requestId: 'req-1', outcome: 'FAILED', errorCodes: ['AUDIT_UNAVAILABLE'], agencies: [] })]);
  });
});

describe('the final record of an answer', () => {
  const recorded = async (audit: RequestAudit, sent: HTTPGraphQLResponse, request: ArrivedRequest = POST) => {
    await audit.settle(sent, request);
  };

  it('takes outcome and codes from what Apollo Server answered, and from the answer itself when that is not it', async () => {
    const written: AuditRecordInput[] = [];
    const log = { append: async (r: AuditRecordInput) => (written.push(r), { id: 1, hash: '', prevHash: '' }) };
    const pipeline = officerRequest(log, 'a').audit;
    pipeline.answered({ status: 200, hasData: true, errorCodes: ['AGENCY_TIMEOUT'] });
    await recorded(pipeline, answer(200, { data: {}, errors: [{ message: 'slow', extensions: { code: 'AGENCY_TIMEOUT' } }] }));
    // The pipeline answered, then Apollo Server refused the request's Accept header: the answer is a 406.
    const replaced = officerRequest(log, 'b').audit;
    replaced.answered({ status: 200, hasData: true, errorCodes: [] });
    await recorded(replaced, answer(406, { errors: [{ message: 'accept', extensions: { code: 'BAD_REQUEST' } }] }));
    expect(written.map((r) => [r.requestId, r.outcome, r.errorCodes])).toEqual([
      ['a', 'PARTIAL', ['AGENCY_TIMEOUT']],
      ['b', 'REFUSED', ['BAD_REQUEST']],
    ]);
  });

  it('names the operation a refused request sent, by POST or GET, anonymous when the name is empty', async () => {
    const written: AuditRecordInput[] = [];
    const log = { append: async (r: AuditRecordInput) => (written.push(r), { id: 1, hash: '', prevHash: '' }) };
    const refusal = answer(400, { errors: [{ message: 'no', extensions: { code: 'BAD_REQUEST' } }] });
    await recorded(new RequestAudit({ log, requestId: 'post' }), refusal, { method: 'POST', search: '', body: { query: 'query Q { a }', operationName: 'Q' } });
    await recorded(new RequestAudit({ log, requestId: 'get' }), refusal, { method: 'GET', search: `?query=${encodeURIComponent('query G { a }')}&operationName=G`, body: undefined });
    await recorded(new RequestAudit({ log, requestId: 'empty' }), refusal, { method: 'POST', search: '', body: { query: 'query Q { a }', operationName: '' } });
    await recorded(new RequestAudit({ log, requestId: 'batch' }), refusal, { method: 'POST', search: '', body: [{ query: '{ a }' }] });
    expect(written.map((r) => [r.requestId, r.operationName, r.caller, r.outcome])).toEqual([
      ['post', 'Q', { kind: 'anonymous' }, 'REFUSED'],
      ['get', 'G', { kind: 'anonymous' }, 'REFUSED'],
      ['empty', null, { kind: 'anonymous' }, 'REFUSED'],
      ['batch', null, { kind: 'anonymous' }, 'REFUSED'],
    ]);
  });

  it('records a page that is not JSON (Apollo Sandbox) as answered', async () => {
    const written: AuditRecordInput[] = [];
    const log = { append: async (r: AuditRecordInput) => (written.push(r), { id: 1, hash: '', prevHash: '' }) };
    const page: HTTPGraphQLResponse = { status: 200, headers: new HeaderMap([['content-type', 'text/html']]), body: { kind: 'complete', string: '<!DOCTYPE html>' } };
    await recorded(new RequestAudit({ log, requestId: 'page' }), page, { method: 'GET', search: '', body: undefined });
    expect(written).toEqual([expect.objectContaining({ outcome: 'ANSWERED', errorCodes: [] })]);
  });
});
