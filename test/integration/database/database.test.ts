import { AuditLog } from '../../../lib/audit/auditLog';
import { type Database, openDatabase } from '../../../lib/db/openDatabase';
import { parseDatabaseUrl } from '../../../lib/db/parseDatabaseUrl';
import { resolveDatabaseTimeouts } from '../../../lib/db/databaseTimeouts';
import { startTcpProxy } from '../../support/tcpProxy';
import { BACKENDS, uniqueTable, useAuditDatabase } from '../../support/auditHarness';

describe('parseDatabaseUrl', () => {
  it.each([
    [undefined, { kind: 'pglite', dataDir: undefined }],
    ['', { kind: 'pglite', dataDir: undefined }],
    ['postgres://u:secret@db:5432/audit', { kind: 'postgres', connectionString: 'postgres://u:secret@db:5432/audit' }],
    ['postgresql://db/audit', { kind: 'postgres', connectionString: 'postgresql://db/audit' }],
    ['pglite:///var/lib/audit%20db', { kind: 'pglite', dataDir: '/var/lib/audit db' }],
    ['pglite:data/audit', { kind: 'pglite', dataDir: '/srv/app/data/audit' }],
  ])('reads %s', (url, location) => {
    expect(parseDatabaseUrl(url, '/srv/app')).toEqual(location);
  });

  it.each([
    ['mysql://u:secret@db/audit', 'Unsupported database URL scheme "mysql:": use postgres://…, pglite:///absolute/dir, pglite:relative/dir, or none for PGlite in memory.'],
    ['/var/lib/audit', 'Unsupported database URL: use postgres://…, pglite:///absolute/dir, pglite:relative/dir, or none for PGlite in memory.'],
    ['pglite://host/dir', 'A pglite URL with "//" takes no host: write pglite:///absolute/dir.'],
    ['pglite:', 'A pglite URL needs a directory: pglite:///absolute/dir or pglite:relative/dir.'],
  ])('refuses %s without repeating it (it may hold a password)', (url, message) => {
    expect(() => parseDatabaseUrl(url)).toThrow(new Error(message));
  });
});

describe.each(BACKENDS)('Database on $name', (backend) => {
  const { db, table } = useAuditDatabase(backend);

  it('returns the same JavaScript values from both backends', async () => {
    const { rows } = await db().query(
      `SELECT $1::text[] AS texts, $2::timestamptz AS at, 9007199254740993::int8 AS big, '2024-02-29'::date AS day,
              1.50::numeric AS amount, 7 AS small, NULL::text AS nothing, '{"a":1}'::jsonb AS doc`,
      [['a', 'b,c', 'd"e'], new Date('2024-05-06T07:08:09.123Z')],
    );
    expect(rows).toEqual([
      {
        texts: ['a', 'b,c', 'd"e'],
        at: new Date('2024-05-06T07:08:09.123Z'),
        big: '9007199254740993',
        day: '2024-02-29',
        amount: '1.50',
        small: 7,
        nothing: null,
        doc: { a: 1 },
      },
    ]);
  });

  it('commits a transaction, and rolls one back when its callback throws', async () => {
    await db().query(`CREATE TABLE "${table()}" (n int)`);
    await db().transaction(async (tx) => {
      await tx.query(`INSERT INTO "${table()}" VALUES ($1)`, [1]);
    });
    await expect(
      db().transaction(async (tx) => {
        await tx.query(`INSERT INTO "${table()}" VALUES ($1)`, [2]);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect((await db().query(`SELECT n FROM "${table()}"`)).rows).toEqual([{ n: 1 }]);
  });

  it("rejects SQL errors with PostgreSQL's code", async () => {
    await expect(db().query('SELECT nope')).rejects.toMatchObject({ message: 'column "nope" does not exist', code: '42703' });
  });

  it('refuses the database itself inside one of its transactions, and a transaction used after it ended', async () => {
    let leaked: { query: (sql: string) => Promise<unknown> } | undefined;
    await expect(
      db().transaction(async (tx) => {
        leaked = tx;
        await db().query('SELECT 1');
      }),
    ).rejects.toThrow('Database.query called inside one of its own transactions: use the tx passed to the callback.');
    await expect(leaked!.query('SELECT 1')).rejects.toThrow('This transaction has ended; its queries can no longer run.');
  });

  it('never interleaves concurrent transactions', async () => {
    await db().query(`CREATE TABLE "${table()}" (n int)`);
    await db().query(`INSERT INTO "${table()}" VALUES (0)`);
    // Read, yield, write: two interleaved transactions would both read the same n.
    await Promise.all(
      Array.from({ length: 20 }, () =>
        db().transaction(async (tx) => {
          const lock = backend.name === 'postgres' ? ' FOR UPDATE' : '';
          const { rows } = await tx.query<{ n: number }>(`SELECT n FROM "${table()}"${lock}`);
          await new Promise((r) => setTimeout(r, 1));
          await tx.query(`UPDATE "${table()}" SET n = $1`, [rows[0]!.n + 1]);
        }),
      ),
    );
    expect((await db().query(`SELECT n FROM "${table()}"`)).rows).toEqual([{ n: 20 }]);
  });
});

describe('a database that cannot be used', () => {
  it('rejects every call after close()', async () => {
    const db = await openDatabase({ url: 'postgres://postgres@127.0.0.1:1/none' });
    await db.close();
    await expect(db.query('SELECT 1')).rejects.toThrow('Database.query called after close().');
    await expect(db.transaction(async () => undefined)).rejects.toThrow('Database.transaction called after close().');
  });

  it('fails AuditLog.open when PostgreSQL is unreachable, with the cause', async () => {
    const db = await openDatabase({ url: 'postgres://postgres@127.0.0.1:1/none', connectTimeoutMs: 1000 });
    try {
      await expect(AuditLog.open(db, { table: uniqueTable() })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      await db.close();
    }
  });
});

const POSTGRES = BACKENDS.find((b) => b.name === 'postgres');

(POSTGRES ? describe : describe.skip)('a PostgreSQL pool through a quiet spell', () => {
  it('closes idle connections beyond the first, and keeps the first for the next request', async () => {
    const db = await openDatabase({ url: POSTGRES!.url, idleTimeoutMs: 50 });
    // Watched from a connection of its own, so watching opens none in the pool.
    const watcher = await openDatabase({ url: POSTGRES!.url });
    try {
      const rows = await Promise.all(
        [1, 2, 3].map(async () => (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid, pg_sleep(0.05)')).rows[0]!.pid),
      );
      const pids = [...new Set(rows)];
      expect(pids).toHaveLength(3);
      const alive = async () =>
        (await watcher.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE pid = ANY($1::int[])', [pids])).rows.map((r) => r.pid);
      // Poll until the pool has closed the idle connections it is going to close (each 50 ms
      // after its query; the guard only bounds a hang). Stopping at the first count of one or
      // fewer: a pool that closed the first as well leaves none, and fails below.
      let left = await alive();
      await until(async () => (left = await alive()).length <= 1, 60_000, 'the pool closes its idle connections beyond the first');
      expect(left).toHaveLength(1);
      // The next query runs on the connection that was kept: no new connection to wait for.
      const { rows: next } = await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      expect(next[0]!.pid).toBe(left[0]);
    } finally {
      await watcher.close();
      await db.close();
    }
  });
});

/** Waits until `condition` holds, checking every 20 ms; fails naming `what` after `ms` (a bound on a wait, not a measure of speed). */
async function until(condition: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const answers = (db: Database) => async () => db.query('SELECT 1').then(() => true, () => false);

/** A statement that never ends: each round of the recursion yields one row, forever. */
const ENDLESS = 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n FROM r) SELECT count(*) FROM r';

describe('database time limits', () => {
  it('default to connect 5 s, statement 10 s, query statement + 2 s, idle in transaction 10 s; each must be a positive integer', () => {
    expect(resolveDatabaseTimeouts()).toEqual({ connectTimeoutMs: 5000, statementTimeoutMs: 10_000, queryTimeoutMs: 12_000, idleInTransactionTimeoutMs: 10_000 });
    expect(resolveDatabaseTimeouts({ statementTimeoutMs: 300 })).toMatchObject({ statementTimeoutMs: 300, queryTimeoutMs: 2300 });
    expect(() => resolveDatabaseTimeouts({ statementTimeoutMs: 0 })).toThrow('Database statementTimeoutMs must be a positive integer (ms), got 0.');
  });
});

describe('a PGlite worker that stops answering', () => {
  it('rejects a statement not answered within statementTimeoutMs, fails the next at once until the worker answers, then works as before', async () => {
    const db = await openDatabase({ statementTimeoutMs: 300 });
    try {
      await db.query('CREATE TABLE t (n int)');
      // pg_sleep holds PGlite's one thread: the worker answers nothing for 6 s, far past the limit.
      await expect(
        db.transaction(async (tx) => {
          await tx.query('INSERT INTO t VALUES (1)');
          await tx.query('SELECT pg_sleep(6)');
        }),
      ).rejects.toThrow('PGlite did not answer the statement within 300 ms.');
      // Not queued behind the overdue statement: refused at once.
      await expect(db.query('SELECT 1')).rejects.toThrow('PGlite has not answered a statement within 300 ms; nothing more is sent to it until it does.');
      await expect(db.transaction(async () => undefined)).rejects.toThrow('PGlite has not answered a statement within 300 ms');

      await until(answers(db), 60_000, 'PGlite answers again');
      // The transaction that timed out was rolled back, and the session was not left inside
      // it: VACUUM refuses to run in a transaction block.
      await db.query('INSERT INTO t VALUES (2)');
      await db.query('VACUUM t');
      expect((await db.query('SELECT n FROM t')).rows).toEqual([{ n: 2 }]);
    } finally {
      await db.close();
    }
  }, 90_000);

  it('closes even while the worker never answers', async () => {
    const db = await openDatabase({ statementTimeoutMs: 300 });
    await expect(db.query(ENDLESS)).rejects.toThrow('PGlite did not answer the statement within 300 ms.');
    await db.close();
    await expect(db.query('SELECT 1')).rejects.toThrow('Database.query called after close().');
  });
});

(POSTGRES ? describe : describe.skip)('PostgreSQL time limits', () => {
  it('the server cancels a statement running past statementTimeoutMs (57014)', async () => {
    const db = await openDatabase({ url: POSTGRES!.url, statementTimeoutMs: 200 });
    try {
      await expect(db.query('SELECT pg_sleep(60)')).rejects.toMatchObject({ code: '57014', message: 'canceling statement due to statement timeout' });
      // The connection is still good.
      expect((await db.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await db.close();
    }
  });

  it('the server ends a transaction idle past idleInTransactionTimeoutMs; its next query fails, and the process lives on', async () => {
    const db = await openDatabase({ url: POSTGRES!.url, idleInTransactionTimeoutMs: 200 });
    const watcher = await openDatabase({ url: POSTGRES!.url });
    try {
      const idle = db.transaction(async (tx) => {
        const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        const pid = rows[0]!.pid;
        const alive = async () => (await watcher.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).rows.length > 0;
        // The transaction waits (for something that is not the database) until the server has ended its session.
        await until(async () => !(await alive()), 60_000, `the server ends session ${pid}, idle in its transaction`);
        await tx.query('SELECT 1');
      });
      await expect(idle).rejects.toThrow(/terminat|connection error|not queryable/i);
      expect((await db.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await watcher.close();
      await db.close();
    }
  });

  describe('behind a server that froze (connections open, nothing answered)', () => {
    it('fails queries and transactions within the limits, and works again once it answers', async () => {
      const proxy = await startTcpProxy(new URL(POSTGRES!.url!));
      const db = await openDatabase({ url: proxy.url, connectTimeoutMs: 500, statementTimeoutMs: 300, queryTimeoutMs: 500 });
      try {
        expect((await db.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
        proxy.freeze();
        // The server never sees it, so its own statement_timeout cannot help: the client gives up.
        await expect(db.query('SELECT 1')).rejects.toThrow('Query read timeout');
        // A new connection gets no handshake: connectTimeoutMs.
        await expect(db.transaction(async (tx) => tx.query('SELECT 1'))).rejects.toThrow(/timeout/i);
        proxy.thaw();
        await until(answers(db), 60_000, 'the pool answers again');
        expect((await db.transaction(async (tx) => (await tx.query('SELECT 2 AS two')).rows))).toEqual([{ two: 2 }]);
      } finally {
        proxy.thaw();
        await db.close();
        await proxy.close();
      }
    });
  });
});
