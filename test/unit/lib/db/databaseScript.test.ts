import { randomBytes } from 'node:crypto';
import { type Database, openDatabase } from '../../../../lib/db/openDatabase';
import { BACKENDS } from '../../../support/backends';

/**
 * `Database.script`: several statements with no parameters (pg-boss's migrations and its
 * `BEGIN; …; COMMIT;` maintenance), on PGlite through its exec() in the worker, on PostgreSQL
 * through the simple protocol.
 */
describe.each(BACKENDS)('Database.script on $name', (backend) => {
  let db: Database;
  let schema: string;
  beforeAll(async () => {
    db = await openDatabase({ url: backend.url });
  });
  beforeEach(() => {
    schema = `script_test_${randomBytes(6).toString('hex')}`;
  });
  afterEach(async () => {
    await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });
  afterAll(async () => {
    await db.close();
  });

  it('runs every statement and answers the rows of the last, parsed as query() parses them', async () => {
    const { rows } = await db.script!(`
      CREATE SCHEMA "${schema}";
      CREATE TABLE "${schema}".t (n int8, day date, at timestamptz);
      INSERT INTO "${schema}".t VALUES (9007199254740993, '2024-02-29', '2024-05-06T07:08:09.123Z');
      SELECT n, day, at FROM "${schema}".t;
    `);
    expect(rows).toEqual([{ n: '9007199254740993', day: '2024-02-29', at: new Date('2024-05-06T07:08:09.123Z') }]);
    expect((await db.script!(`CREATE TABLE "${schema}".u (n int)`)).rows).toEqual([]);
  });

  it('leaves nothing open when it fails inside the transaction it began', async () => {
    await db.query(`CREATE SCHEMA "${schema}"`);
    await expect(db.script!(`BEGIN; CREATE TABLE "${schema}".t (n int); SELECT nope; COMMIT;`)).rejects.toMatchObject({
      message: 'column "nope" does not exist',
      code: '42703',
    });
    // The session answers again, outside any transaction: the table of the failed script is gone.
    expect((await db.query(`SELECT to_regclass($1) AS t`, [`"${schema}".t`])).rows).toEqual([{ t: null }]);
    await db.transaction(async (tx) => {
      await tx.query(`CREATE TABLE "${schema}".kept (n int)`);
    });
    expect((await db.query(`SELECT to_regclass($1)::text AS t`, [`"${schema}".kept`])).rows).toEqual([{ t: `${schema}.kept` }]);
  });

  it('is refused inside one of the database’s own transactions', async () => {
    await expect(db.transaction(() => db.script!('SELECT 1'))).rejects.toThrow(
      'Database.script called inside one of its own transactions: use the tx passed to the callback.',
    );
  });
});

describe('Database.script on pglite, under the statement timeout', () => {
  it('fails a script the worker has not answered in time, refuses the next at once, and runs again once it answers', async () => {
    const db = await openDatabase({ statementTimeoutMs: 200 });
    try {
      await expect(db.script!('SELECT 1; SELECT pg_sleep(3)')).rejects.toThrow('PGlite did not answer the statement within 200 ms.');
      await expect(db.script!('SELECT 1')).rejects.toThrow(
        'PGlite has not answered a statement within 200 ms; nothing more is sent to it until it does.',
      );
      let answer: unknown;
      const until = Date.now() + 60_000;
      while (answer === undefined && Date.now() < until) {
        answer = await db.script!('SELECT 1; SELECT 2 AS two').then(
          ({ rows }) => rows,
          () => new Promise((resolve) => setTimeout(() => resolve(undefined), 100)),
        );
      }
      expect(answer).toEqual([{ two: 2 }]);
    } finally {
      await db.close();
    }
  });
});

(BACKENDS.some((b) => b.name === 'postgres') ? describe : describe.skip)('Database.script on postgres, under the statement timeout', () => {
  it("is cancelled by the server's statement_timeout, statement by statement", async () => {
    const db = await openDatabase({ url: BACKENDS.find((b) => b.name === 'postgres')!.url, statementTimeoutMs: 200 });
    try {
      await expect(db.script!('SELECT 1; SELECT pg_sleep(3)')).rejects.toMatchObject({ code: '57014' });
      expect((await db.script!('SELECT pg_sleep(0.1); SELECT 3 AS three')).rows).toEqual([{ three: 3 }]);
    } finally {
      await db.close();
    }
  });
});
