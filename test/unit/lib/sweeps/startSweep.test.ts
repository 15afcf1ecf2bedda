import { randomBytes } from 'node:crypto';
import { type Database, openDatabase } from '../../../../lib/db/openDatabase';
import { type JobQueue, openJobQueue } from '../../../../lib/jobs/jobQueue';
import { createLogger } from '../../../../lib/log/logger';
import { startSweep, type StartSweepRequest } from '../../../../lib/sweeps/startSweep';
import { SWEEP_CASE_QUEUE } from '../../../../lib/sweeps/sweepJobs';
import { SweepStore } from '../../../../lib/sweeps/sweepStore';
import { BACKENDS } from '../../../support/backends';

describe.each(BACKENDS)('starting a sweep on $name', (backend) => {
  let database: Database;
  let store: SweepStore;
  let jobs: JobQueue;
  let prefix: string;
  let schema: string;
  const request = (over: Partial<StartSweepRequest> = {}): StartSweepRequest => ({
    court: '浙0106',
    officer: '浙0106-007',
    requestId: 'sweep-2026-12-06',
    purpose: 'SWEEP',
    caseNumbers: ['(2025)浙0106执1001号', '(2025)浙0106执1002号', '(2025)浙0106执1001号'],
    ...over,
  });

  beforeAll(async () => {
    database = await openDatabase({ url: backend.url });
  });
  beforeEach(async () => {
    prefix = `t${randomBytes(5).toString('hex')}_`;
    schema = `jobs_${randomBytes(5).toString('hex')}`;
    store = await SweepStore.open(database, { tablePrefix: prefix });
    jobs = await openJobQueue(database, { logger: createLogger({ level: 'silent' }), schema });
    await jobs.defineQueue(SWEEP_CASE_QUEUE);
  });
  afterEach(async () => {
    await jobs.stop({ graceful: true, timeoutMs: 5000 });
    await database.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    for (const table of ['case_searches', 'sweep_cases', 'sweeps']) await database.query(`DROP TABLE IF EXISTS "${prefix}${table}"`);
  });
  afterAll(async () => {
    await database.close();
  });

  const queued = async () => (await jobs.counts(SWEEP_CASE_QUEUE.name)).queued;

  it('records the sweep and one job per distinct case together; the same request id returns it and sends nothing again', async () => {
    const first = await startSweep({ database, store, jobs }, request());
    expect(first).toMatchObject({ created: true, sweep: { court: '浙0106', officer: '浙0106-007', purpose: 'SWEEP', total: 2 } });
    expect(await queued()).toBe(2);
    const again = await startSweep({ database, store, jobs }, request({ caseNumbers: ['(2025)浙0106执1002号', '(2025)浙0106执1001号'] }));
    expect(again).toMatchObject({ created: false, sweep: { id: 'sweep' in first ? first.sweep.id : '' } });
    expect(await queued()).toBe(2);
    expect(await store.progress('sweep' in first ? first.sweep.id : '')).toMatchObject({ total: 2, queued: 2 });
  });

  it('refuses a request id reused for other cases, no case, and more cases than a sweep takes, starting nothing', async () => {
    await startSweep({ database, store, jobs }, request());
    expect(await startSweep({ database, store, jobs }, request({ caseNumbers: ['(2025)浙0106执1003号'] }))).toEqual({
      refusal: { code: 'REQUEST_ID_REUSED', message: expect.stringContaining('sweep-2026-12-06') },
    });
    expect(await startSweep({ database, store, jobs }, request({ requestId: 'x', caseNumbers: [] }))).toMatchObject({ refusal: { code: 'SELECTION_REQUIRED' } });
    const three = ['a', 'b', 'c'].map((n) => `(2025)浙0106执100${n}号`);
    expect(await startSweep({ database, store, jobs }, request({ requestId: 'y', caseNumbers: three }), { maxCases: 2 })).toMatchObject({ refusal: { code: 'TOO_MANY_CASES' } });
    expect(await queued()).toBe(2);
  });

  it('leaves neither sweep nor job behind when a job cannot be sent', async () => {
    const failing: JobQueue = { ...jobs, send: async () => Promise.reject(new Error('the queue is gone')) };
    await expect(startSweep({ database, store, jobs: failing }, request({ requestId: 'z' }))).rejects.toThrow('the queue is gone');
    expect(await queued()).toBe(0);
    // The request id is free: nothing of the failed start was kept.
    expect(await startSweep({ database, store, jobs }, request({ requestId: 'z' }))).toMatchObject({ created: true });
  });
});
