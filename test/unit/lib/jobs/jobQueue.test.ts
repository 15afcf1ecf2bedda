import { randomBytes } from 'node:crypto';
import { type Database, openDatabase } from '../../../../lib/db/openDatabase';
import { type Job, type JobQueue, type JobQueueOptions, openJobQueue } from '../../../../lib/jobs/jobQueue';
import { createLogger } from '../../../../lib/log/logger';
import { BACKENDS } from '../../../support/backends';
import { eventually } from '../../../support/eventually';

describe.each(BACKENDS)('the job queue on $name', (backend) => {
  let db: Database;
  /** A second instance's database: its own pool on PostgreSQL; on PGlite (one process) the same one. */
  let otherDb: Database;
  let schema: string;
  let opened: JobQueue[] = [];
  let logged: { level: number; msg: string }[] = [];
  const logger = createLogger({ level: 'warn', destination: { write: (line: string) => void logged.push(JSON.parse(line)) } });

  const open = async (database: Database, options: Partial<JobQueueOptions> = {}): Promise<JobQueue> => {
    const jobs = await openJobQueue(database, { logger, schema, maintenanceIntervalSeconds: 1, ...options });
    opened.push(jobs);
    return jobs;
  };

  beforeAll(async () => {
    db = await openDatabase({ url: backend.url });
    otherDb = backend.name === 'postgres' ? await openDatabase({ url: backend.url }) : db;
  });
  beforeEach(() => {
    schema = `jobs_test_${randomBytes(6).toString('hex')}`;
    logged = [];
  });
  afterEach(async () => {
    await Promise.all(opened.map((jobs) => jobs.stop({ graceful: true, timeoutMs: 5000 })));
    opened = [];
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  });
  afterAll(async () => {
    if (otherDb !== db) await otherDb.close();
    await db.close();
  });

  it('runs a job sent in a transaction that commits exactly once, and never one whose transaction rolled back', async () => {
    const jobs = await open(db);
    await jobs.defineQueue({ name: 'sweep' });
    await db.query(`CREATE TABLE ${schema}.cases (n int)`);
    let rolledBackId: string | null = null;
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`INSERT INTO ${schema}.cases VALUES (1)`);
        rolledBackId = await jobs.send('sweep', { n: 1 }, { tx });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const committedId = await db.transaction(async (tx) => {
      await tx.query(`INSERT INTO ${schema}.cases VALUES (2)`);
      return jobs.send('sweep', { n: 2 }, { tx });
    });

    const runs: number[] = [];
    jobs.work<{ n: number }>('sweep', { pollingIntervalSeconds: 0.5 }, async (job) => {
      runs.push(job.data.n);
    });
    await eventually('the committed job to complete', async () => (await jobs.counts('sweep')).completed === 1);

    expect(runs).toEqual([2]);
    expect(await jobs.counts('sweep')).toEqual({ queued: 0, active: 0, retrying: 0, completed: 1, failed: 0 });
    expect(rolledBackId).toEqual(expect.any(String));
    expect(await jobs.job('sweep', rolledBackId!)).toBeNull();
    expect(await jobs.job('sweep', committedId!)).toMatchObject({ state: 'completed', attempts: 1, data: { n: 2 } });
    expect((await db.query(`SELECT n FROM ${schema}.cases`)).rows).toEqual([{ n: 2 }]);
    expect(logged).toEqual([]);
  });

  it('runs each of 100 jobs exactly once over two instances working the same queue', async () => {
    const a = await open(db);
    const b = await open(otherDb);
    await a.defineQueue({ name: 'many' });
    await b.defineQueue({ name: 'many' });
    await db.transaction(async (tx) => {
      for (let n = 0; n < 100; n++) await a.send('many', { n }, { tx });
    });

    const runs = new Map<number, string[]>();
    const started = { a: 0, b: 0 };
    const handler = (me: 'a' | 'b', other: 'a' | 'b') => async (job: Job<{ n: number }>) => {
      started[me] += 1;
      runs.set(job.data.n, [...(runs.get(job.data.n) ?? []), me]);
      // Each instance's first job waits for the other to start one: both take part, whatever the machine's speed.
      if (started[me] === 1) await eventually(`instance ${other} to start a job`, () => started[other] > 0);
    };
    a.work('many', { concurrency: 2, batchSize: 5, pollingIntervalSeconds: 0.5 }, handler('a', 'b'));
    b.work('many', { concurrency: 2, batchSize: 5, pollingIntervalSeconds: 0.5 }, handler('b', 'a'));
    await eventually('all 100 jobs to complete', async () => (await a.counts('many')).completed === 100);

    expect([...runs.keys()].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, n) => n));
    expect([...runs.values()].filter((by) => by.length !== 1)).toEqual([]);
    expect(started.a).toBeGreaterThan(0);
    expect(started.b).toBeGreaterThan(0);
    expect(started.a + started.b).toBe(100);
    expect(await b.counts('many')).toEqual({ queued: 0, active: 0, retrying: 0, completed: 100, failed: 0 });
    expect(logged).toEqual([]);
  });

  it('retries a failing job up to retryLimit, then fails it with its message', async () => {
    const jobs = await open(db);
    await jobs.defineQueue({ name: 'flaky', retryLimit: 2, retryDelaySeconds: 0 });
    await jobs.defineQueue({ name: 'patient', retryLimit: 2, retryDelaySeconds: 3600 });
    const attempts: string[] = [];
    const failing = async (job: Job<object>) => {
      attempts.push(`${job.queue} ${job.attempt}`);
      throw new Error(`agency down (attempt ${job.attempt})`);
    };
    jobs.work('flaky', { pollingIntervalSeconds: 0.5 }, failing);
    jobs.work('patient', { pollingIntervalSeconds: 0.5 }, failing);
    const flaky = (await jobs.send('flaky', {}))!;
    const patient = (await jobs.send('patient', {}))!;

    const failed = await eventually('the flaky job to fail for good', async () => {
      const job = await jobs.job('flaky', flaky);
      return job?.state === 'failed' && job;
    });
    expect(failed).toMatchObject({ state: 'failed', attempts: 3, error: 'agency down (attempt 3)' });
    expect(attempts.filter((a) => a.startsWith('flaky'))).toEqual(['flaky 1', 'flaky 2', 'flaky 3']);
    // Its retry an hour away, the other waits, its first failure on record.
    const waiting = await eventually('the patient job to wait for its retry', async () => {
      const job = await jobs.job('patient', patient);
      return job?.state === 'retrying' && job;
    });
    expect(waiting).toMatchObject({ attempts: 1, error: 'agency down (attempt 1)' });
    expect(waiting.startAfter.getTime()).toBeGreaterThan(Date.now() + 3_000_000);
    expect(attempts.filter((a) => a.startsWith('patient'))).toEqual(['patient 1']);
    expect(logged).toEqual([]);
  });

  it('fails only the job whose handler throws, not the rest of its batch', async () => {
    const jobs = await open(db);
    await jobs.defineQueue({ name: 'batch', retryLimit: 0 });
    const ids = [];
    for (let n = 0; n < 3; n++) ids.push((await jobs.send('batch', { n }))!);
    jobs.work<{ n: number }>('batch', { batchSize: 3, pollingIntervalSeconds: 0.5 }, async (job) => {
      if (job.data.n === 1) throw new Error('no such account');
    });
    await eventually('the batch to be done', async () => {
      const counts = await jobs.counts('batch');
      return counts.completed + counts.failed === 3;
    });
    expect(await Promise.all(ids.map(async (id) => (await jobs.job('batch', id))?.state))).toEqual(['completed', 'failed', 'completed']);
    expect(await jobs.job('batch', ids[1]!)).toMatchObject({ error: 'no such account' });
  });

  it('drops a second send with the key of a job still queued, on a short queue', async () => {
    const jobs = await open(db);
    await jobs.defineQueue({ name: 'dedup', policy: 'short' });
    const first = await jobs.send('dedup', { n: 1 }, { key: 'case-1' });
    expect(first).toEqual(expect.any(String));
    expect(await jobs.send('dedup', { n: 2 }, { key: 'case-1' })).toBeNull();
    expect(await jobs.send('dedup', { n: 3 }, { key: 'case-2' })).toEqual(expect.any(String));
    expect(await jobs.counts('dedup')).toMatchObject({ queued: 2 });

    const runs: number[] = [];
    jobs.work<{ n: number }>('dedup', { pollingIntervalSeconds: 0.5 }, async (job) => {
      runs.push(job.data.n);
    });
    await eventually('both jobs to complete', async () => (await jobs.counts('dedup')).completed === 2);
    expect(runs.sort()).toEqual([1, 3]);
    // No longer queued: the key is free again.
    expect(await jobs.send('dedup', { n: 4 }, { key: 'case-1' })).toEqual(expect.any(String));
  });

  it('does not run a job before its startAfter', async () => {
    const jobs = await open(db);
    await jobs.defineQueue({ name: 'later' });
    const far = (await jobs.send('later', { n: 'far' }, { startAfter: new Date(Date.now() + 3_600_000) }))!;
    const soonAt = new Date(Date.now() + 1500);
    await jobs.send('later', { n: 'soon' }, { startAfter: soonAt });
    await jobs.send('later', { n: 'now' });

    const runs: { n: string; at: number }[] = [];
    jobs.work<{ n: string }>('later', { pollingIntervalSeconds: 0.5 }, async (job) => {
      runs.push({ n: job.data.n, at: Date.now() });
    });
    await eventually('two jobs to complete', async () => (await jobs.counts('later')).completed === 2);

    expect(runs.map((run) => run.n).sort()).toEqual(['now', 'soon']);
    expect(runs.find((run) => run.n === 'soon')!.at).toBeGreaterThanOrEqual(soonAt.getTime());
    expect(await jobs.job('later', far)).toMatchObject({ state: 'queued', attempts: 0 });
  });

  it("runs again, on another instance, a job whose instance stopped mid-job without a word, once it expires", async () => {
    const a = await open(db);
    const b = await open(otherDb);
    const definition = { name: 'crash', expireInSeconds: 2, retryLimit: 1, retryDelaySeconds: 0 };
    await a.defineQueue(definition);
    await b.defineQueue(definition);
    const onA: number[] = [];
    let releaseA: () => void = () => undefined;
    let abortedOnA: unknown;
    a.work('crash', { pollingIntervalSeconds: 0.5 }, async (job) => {
      onA.push(job.attempt);
      job.signal.addEventListener('abort', () => (abortedOnA = job.signal.reason));
      await new Promise<void>((resolve) => (releaseA = resolve));
    });
    const id = (await a.send('crash', { n: 1 }))!;
    await eventually('instance a to start the job', () => onA.length === 1);

    await a.stop({ graceful: false });
    expect((abortedOnA as Error).message).toBe('The job queue stopped before the job finished.');
    // Nothing recorded by a: b's maintenance finds the job past its expireInSeconds.
    const expired = await eventually('the job to expire', async () => {
      const job = await b.job('crash', id);
      return job?.state === 'retrying' && job;
    });
    expect(expired).toMatchObject({ attempts: 1, error: 'job failed by timeout in active state' });

    const onB: number[] = [];
    b.work('crash', { pollingIntervalSeconds: 0.5 }, async (job) => {
      onB.push(job.attempt);
    });
    await eventually('b to complete the job', async () => (await b.job('crash', id))?.state === 'completed');
    releaseA();
    expect(onA).toEqual([1]);
    expect(onB).toEqual([2]);
    expect(logged).toEqual([]);
  });

  it('fails the jobs still running when a graceful stop times out, so another instance retries them at once', async () => {
    const a = await open(db);
    const b = await open(otherDb);
    const definition = { name: 'drain', expireInSeconds: 60, retryLimit: 1, retryDelaySeconds: 0 };
    await a.defineQueue(definition);
    await b.defineQueue(definition);
    const onA: number[] = [];
    a.work('drain', { pollingIntervalSeconds: 0.5 }, async (job) => {
      onA.push(job.attempt);
      await new Promise<void>((resolve) => job.signal.addEventListener('abort', () => resolve()));
    });
    const id = (await a.send('drain', {}))!;
    await eventually('instance a to start the job', () => onA.length === 1);

    await a.stop({ graceful: true, timeoutMs: 300 });
    expect(await b.job('drain', id)).toMatchObject({ state: 'retrying', attempts: 1, error: 'The job queue stopped before the job finished.' });
    await expect(a.send('drain', {})).rejects.toThrow('The job queue is stopped.');

    const onB: number[] = [];
    b.work('drain', { pollingIntervalSeconds: 0.5 }, async (job) => {
      onB.push(job.attempt);
    });
    await eventually('b to complete the job', async () => (await b.job('drain', id))?.state === 'completed');
    expect(onB).toEqual([2]);
    expect(logged).toEqual([]);
  });

  it('refuses a queue it was not told about, and settings pg-boss would not keep', async () => {
    const jobs = await open(db);
    await expect(jobs.send('nowhere', {})).rejects.toThrow('No queue "nowhere" is defined on this job queue: call defineQueue first.');
    await expect(jobs.defineQueue({ name: 'q', expireInSeconds: 86_400 })).rejects.toThrow('expireInSeconds must be an integer from 1 to 86399, got 86400.');
    await jobs.defineQueue({ name: 'q' });
    expect(() => jobs.work('q', { pollingIntervalSeconds: 0.1 }, async () => undefined)).toThrow('pollingIntervalSeconds must be a number of at least 0.5, got 0.1.');
  });

  it('sends pg-boss errors to the logger', async () => {
    const jobs = await open(db);
    await jobs.defineQueue({ name: 'q' });
    // Maintenance fails once its tables are gone; the error is logged, never unhandled.
    await db.query(`DROP TABLE ${schema}.version CASCADE`);
    const line = await eventually('an error to be logged', () => logged.find((entry) => entry.msg === 'job queue error'));
    expect(line).toMatchObject({ level: 50, jobQueue: schema, err: { message: expect.stringContaining('version') } });
  });
});
