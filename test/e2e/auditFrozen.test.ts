/**
 * A frozen audit database (its connections alive, nothing answering) must not hang the
 * gateway: every statement has a time limit (lib/db/databaseTimeouts.ts), so a request fails
 * closed with 503 AUDIT_UNAVAILABLE once the limit is spent, and /readyz answers 503 naming the
 * audit store. Through the whole stack, with short limits injected.
 *
 * On PostgreSQL (DATABASE_URL) the stack's database sits behind a TCP proxy that the test
 * freezes, then thaws: the gateway answers again, and only what it answered is on record.
 * On PGlite the worker that runs it is held by a statement that never ends.
 */
import type { DatabaseTimeouts } from '../../lib/db/openDatabase';
import { createPopulation } from '../../mocks/population';
import { postInCase } from '../support/courtRequest';
import { type TcpProxy, startTcpProxy } from '../support/tcpProxy';
import { useStack } from '../support/stack';

const DATABASE_URL = process.env.DATABASE_URL || undefined;
const population = createPopulation({ persons: 100 });
const rich = population.scenarios.richDebtor;
const LOOK = `{ person(idNumber: "${rich.idNumber}") { name } }`;

/** Short enough for the test, long enough for every healthy statement on a loaded machine. */
const TIMEOUTS: DatabaseTimeouts = { connectTimeoutMs: 2000, statementTimeoutMs: 2000, queryTimeoutMs: 2500, idleInTransactionTimeoutMs: 2000 };
/**
 * How long the test waits for an answer before it calls the gateway hung: many times the
 * configured limits (a request meets at most a few of them in a row), so it never decides
 * the outcome on a slow machine; only a wait with no limit at all runs past it.
 */
const HUNG_AFTER_MS = 60_000;

/** `promise`'s value; fails naming `what` if it has not settled within HUNG_AFTER_MS. */
async function answered<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${HUNG_AFTER_MS} ms (the gateway waits on the database without a limit)`)), HUNG_AFTER_MS);
  });
  try {
    return await Promise.race([promise, hung]);
  } finally {
    clearTimeout(timer);
  }
}

const REFUSED = { message: 'The request could not be written to the audit log, so it is not answered.', extensions: { code: 'AUDIT_UNAVAILABLE' } };

function readyz(gatewayUrl: string): Promise<{ status: number; body: { status: string; checks: Record<string, any> } }> {
  return fetch(gatewayUrl.replace('/graphql', '/readyz')).then(async (response) => ({ status: response.status, body: (await response.json()) as { status: string; checks: Record<string, any> } }));
}

(DATABASE_URL ? describe : describe.skip)('a frozen PostgreSQL under the audit', () => {
  let proxy: TcpProxy;
  beforeAll(async () => {
    proxy = await startTcpProxy(new URL(DATABASE_URL!));
  });
  // Before the stack stops (hooks run in order): its connections must be able to say goodbye.
  afterAll(() => proxy.thaw());
  const stack = useStack({
    population,
    databaseTimeouts: TIMEOUTS,
    // Read when the stack starts, after the proxy has.
    get auditDatabaseUrl() {
      return proxy.url;
    },
  });
  afterAll(() => proxy.close());
  const look = () => postInCase(stack().gateway.url, population, rich.caseNumber, LOOK);

  it('fails a request closed with 503 AUDIT_UNAVAILABLE, /readyz says the audit store is unreachable; thawed, it answers again', async () => {
    expect((await look()).errors).toBeUndefined();

    proxy.freeze();
    const refused = await answered(look(), 'a request while the database is frozen');
    expect(refused).toEqual({ status: 503, errors: [REFUSED] });
    const ready = await answered(readyz(stack().gateway.url), '/readyz while the database is frozen');
    expect(ready.status).toBe(503);
    expect(ready.body.status).toBe('not ready');
    expect(ready.body.checks.auditStore).toMatchObject({ status: 'unreachable', error: expect.any(String) });

    proxy.thaw();
    // New connections replace the ones given up on; until then a request may still be refused.
    let again = await look();
    for (let tries = 1; again.status !== 200 && tries < 20; tries++) again = await look();
    expect(again.errors).toBeUndefined();
    // The chain is intact and holds both answers (each an intent and an outcome). A refused
    // request's intent may still land once the database thaws: an access attempted, shown UNFINISHED.
    const verified = await stack().gateway.audit.verify();
    expect(verified.ok).toBe(true);
    expect(verified.count).toBeGreaterThanOrEqual(4);
  });
});

(DATABASE_URL ? describe.skip : describe)('a PGlite worker under the audit that stops answering', () => {
  const stack = useStack({ population, databaseTimeouts: TIMEOUTS });
  const look = () => postInCase(stack().gateway.url, population, rich.caseNumber, LOOK);

  it('fails a request closed with 503 AUDIT_UNAVAILABLE, and /readyz says the audit store is unreachable', async () => {
    expect((await look()).errors).toBeUndefined();

    // Holds PGlite's one thread for good: everything after it would wait forever without a limit.
    const endless = stack().database.query('WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n FROM r) SELECT count(*) FROM r');
    const [held, refused] = await Promise.all([endless.then(() => 'answered', (error: Error) => error.message), answered(look(), 'a request while PGlite is held')]);
    expect(held).toBe(`PGlite did not answer the statement within ${TIMEOUTS.statementTimeoutMs} ms.`);
    expect(refused).toEqual({ status: 503, errors: [REFUSED] });
    const ready = await answered(readyz(stack().gateway.url), '/readyz while PGlite is held');
    expect(ready.status).toBe(503);
    expect(ready.body.status).toBe('not ready');
    expect(ready.body.checks.auditStore).toMatchObject({ status: 'unreachable', error: expect.any(String) });
    // The stack still stops (useStack's afterAll): closing stops the stuck worker.
  });
});
