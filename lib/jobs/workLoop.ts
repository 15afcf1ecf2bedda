import { setTimeout as sleep } from 'node:timers/promises';
import type PgBoss from 'pg-boss';
import type { Logger } from '../log/logger';

/** One run of a job, as its handler sees it. */
export interface Job<T> {
  id: string;
  queue: string;
  data: T;
  /** 1 on the first run, 2 on the first retry, … */
  attempt: number;
  /**
   * Aborted when the run is given up on: it passed its queue's `expireInSeconds`, or the job
   * queue stopped before it finished. Its result is then ignored and the job may run again
   * elsewhere, so a handler should stop what it is doing.
   */
  signal: AbortSignal;
}

/** Resolves: the job is done. Throws: that job fails (the error's message kept) and is retried per its queue. */
export type JobHandler<T> = (job: Job<T>) => Promise<void>;

export interface WorkLoopOptions<T> {
  boss: PgBoss;
  /** The statements of this loop's fetches go here (the job queue's BossDatabase). */
  db: PgBoss.Db;
  queue: string;
  batchSize: number;
  pollingIntervalMs: number;
  handler: JobHandler<T>;
  logger: Logger;
}

/** SQLSTATE unique_violation: a singleton or stately queue's fetch finding a key already running. */
const UNIQUE_VIOLATION = '23505';

export const STOPPED_BEFORE_FINISHED = 'The job queue stopped before the job finished.';

/**
 * One serial loop over a queue: claim a batch with pg-boss's `fetch`, run its jobs one at a
 * time, record each outcome with `complete`/`fail`, ask again at once after a batch and after
 * `pollingIntervalMs` when idle. pg-boss 10's own `work()` is not used: it completes or fails a
 * batch as a whole, sends that outcome without awaiting it (a database error there is an
 * unhandled rejection, which ends the process), and waits a polling interval even after a full
 * batch. Every statement here is awaited and its errors logged.
 */
export class WorkLoop<T> {
  /** Resolves when the loop has ended: stopped, or abandoned. */
  readonly finished: Promise<void>;
  private stopping = false;
  private abandoned = false;
  /** Ends an idle wait when the loop is stopped. */
  private readonly wake = new AbortController();
  /** Fires when the loop is abandoned: its running job is let go at once. */
  private readonly abandonment = new AbortController();
  private readonly letGo: Promise<'abandoned'>;
  /** Jobs claimed and not yet being recorded, with their runs' signals. */
  private readonly claimed = new Map<string, AbortController>();
  private readonly fetchDb: PgBoss.Db;

  constructor(private readonly options: WorkLoopOptions<T>) {
    this.letGo = new Promise((resolve) => this.abandonment.signal.addEventListener('abort', () => resolve('abandoned'), { once: true }));
    // pg-boss's fetch swallows its errors (it expects unique violations from singleton queues);
    // a database that is down must still show in the log.
    this.fetchDb = {
      executeSql: async (text: string, values: unknown[]) => {
        try {
          return await options.db.executeSql(text, values);
        } catch (error) {
          if (!this.stopping && (error as { code?: unknown }).code !== UNIQUE_VIOLATION) {
            options.logger.warn({ err: error, queue: options.queue }, 'job queue: fetching jobs failed; asking again later');
          }
          throw error;
        }
      },
    };
    this.finished = this.run();
  }

  /** Claims no more jobs; the batch already claimed still runs. */
  stop(): void {
    this.stopping = true;
    this.wake.abort();
  }

  /**
   * Lets go of the jobs claimed and not finished, recording nothing for them (their runs'
   * signals are aborted), and returns their ids.
   */
  abandon(reason: string): string[] {
    this.stop();
    this.abandoned = true;
    const ids = [...this.claimed.keys()];
    for (const controller of this.claimed.values()) controller.abort(new Error(reason));
    this.claimed.clear();
    this.abandonment.abort();
    return ids;
  }

  /** Abandons the unfinished jobs and fails them, so they are retried per their queue now rather than after they expire. */
  async failUnfinished(message: string): Promise<void> {
    const { boss, queue, logger } = this.options;
    for (const id of this.abandon(message)) {
      try {
        await boss.fail(queue, id, { message });
      } catch (error) {
        logger.error({ err: error, queue, jobId: id }, 'job queue: unfinished job not failed; it runs again after its expireInSeconds');
      }
    }
  }

  private async run(): Promise<void> {
    const { boss, queue, batchSize, pollingIntervalMs, logger } = this.options;
    while (!this.stopping) {
      try {
        // Before the fetch: a run's time limit counts from before the database marked it started.
        const claimedAt = Date.now();
        const jobs = await boss.fetch<T>(queue, { batchSize, includeMetadata: true, db: this.fetchDb });
        if (this.abandoned) return;
        if (jobs.length === 0) {
          await sleep(pollingIntervalMs, undefined, { signal: this.wake.signal }).catch(() => undefined);
          continue;
        }
        for (const job of jobs) this.claimed.set(job.id, new AbortController());
        for (const job of jobs) {
          if (this.abandoned) return;
          await this.runOne(job, claimedAt);
        }
      } catch (error) {
        // Not expected (each step handles its own errors); the loop must outlive it all the same.
        logger.error({ err: error, queue }, 'job queue: work loop error');
        await sleep(pollingIntervalMs, undefined, { signal: this.wake.signal }).catch(() => undefined);
      }
    }
  }

  private async runOne(job: PgBoss.JobWithMetadata<T>, claimedAt: number): Promise<void> {
    const controller = this.claimed.get(job.id);
    if (!controller) return;
    const limitSeconds = Number(job.expireInSeconds);
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => resolve('expired'), Math.max(0, claimedAt + limitSeconds * 1000 - Date.now()));
    });
    let failure: string | undefined;
    try {
      const run = Promise.resolve()
        .then(() => this.options.handler({ id: job.id, queue: this.options.queue, data: job.data, attempt: job.retryCount + 1, signal: controller.signal }))
        .then(() => 'done' as const);
      const outcome = await Promise.race([run, expired, this.letGo]);
      if (outcome === 'abandoned') return;
      if (outcome === 'expired') {
        failure = `The job ran longer than its queue's expireInSeconds (${limitSeconds} s).`;
        controller.abort(new Error(failure));
      }
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    } finally {
      clearTimeout(timer);
    }
    await this.record(job.id, failure);
  }

  private async record(id: string, failure: string | undefined): Promise<void> {
    const { boss, queue, logger } = this.options;
    // Abandoned meanwhile: the stop recorded (or gave up) its outcome.
    if (!this.claimed.delete(id)) return;
    try {
      if (failure === undefined) await boss.complete(queue, id);
      else await boss.fail(queue, id, { message: failure });
    } catch (error) {
      logger.error({ err: error, queue, jobId: id }, 'job queue: outcome not recorded; the job runs again after its expireInSeconds');
    }
  }
}
