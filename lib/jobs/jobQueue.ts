import PgBoss from 'pg-boss';
import type { Database, Queryable } from '../db/database';
import { BossDatabase, transactionDb } from './bossDatabase';
import {
  JOB_QUEUE_DEFAULTS,
  type JobQueueOptions,
  QUEUE_DEFAULTS,
  type QueueDefinition,
  type QueuePolicy,
  requireInteger,
  STOP_DEFAULTS,
  type StopOptions,
  WORK_DEFAULTS,
  type WorkOptions,
} from './jobQueueOptions';
import { type JobHandler, STOPPED_BEFORE_FINISHED, WorkLoop } from './workLoop';

export type { Job, JobHandler } from './workLoop';
export type { JobQueueOptions, QueueDefinition, QueuePolicy, StopOptions, WorkOptions } from './jobQueueOptions';

export interface SendOptions {
  /** Deduplicates per the queue's policy (`QueuePolicy`); ignored by a `standard` queue. @default none */
  key?: string;
  /** Not run before this time (the database's clock). @default now */
  startAfter?: Date;
  /**
   * A transaction of the same database (from `Database.transaction`): the job exists only if
   * it commits, so the state change and the job that follows from it are one. @default none:
   * the job is committed at once
   */
  tx?: Queryable;
}

/** Where a job is: waiting its first run, running, waiting a retry, or done one way or the other. */
export type JobState = 'queued' | 'active' | 'retrying' | 'completed' | 'failed' | 'cancelled';

export interface JobRecord<T> {
  id: string;
  queue: string;
  state: JobState;
  data: T;
  /** Runs started so far. */
  attempts: number;
  /** Why the last run failed, while `retrying` or `failed`. */
  error?: string;
  startAfter: Date;
}

/**
 * Jobs per state in one queue, for progress and tests. Completed and failed jobs are archived
 * after 12 hours (pg-boss's default) and then no longer counted.
 */
export interface QueueCounts {
  queued: number;
  active: number;
  retrying: number;
  completed: number;
  failed: number;
}

/**
 * A PostgreSQL job queue (pg-boss 10) on the project's Database: jobs are rows, sent in the
 * same transaction as the change that causes them if the caller wishes, claimed with SKIP
 * LOCKED by any number of instances (processes, machines) on one database, retried per their
 * queue, and freed for a retry when their worker dies (`QueueDefinition.expireInSeconds`).
 * Runs the same on PGlite (one process) and PostgreSQL.
 */
export interface JobQueue {
  readonly schema: string;
  /** Creates the queue or sets its settings to these (settings left out take their defaults). Idempotent. */
  defineQueue(definition: QueueDefinition): Promise<void>;
  /**
   * Sends one job to a queue defined on this instance. Resolves with its id, or `null` when the
   * queue's policy dropped it as a duplicate of `key`.
   */
  send<T extends object>(queue: string, data: T, options?: SendOptions): Promise<string | null>;
  /** Starts `concurrency` loops that run the queue's jobs through `handler`, one job at a time each, until `stop`. */
  work<T extends object>(queue: string, options: WorkOptions, handler: JobHandler<T>): void;
  counts(queue: string): Promise<QueueCounts>;
  /** One job, or `null` if there is none by that id (it was never committed, or has been archived). */
  job<T = unknown>(queue: string, id: string): Promise<JobRecord<T> | null>;
  /** Ends this instance's work (`StopOptions`); afterwards it sends no SQL. The database stays open: its owner closes it. */
  stop(options?: StopOptions): Promise<void>;
}

const POLICIES: readonly QueuePolicy[] = ['standard', 'short', 'singleton', 'stately'];
const STATES: Record<string, JobState> = {
  created: 'queued',
  active: 'active',
  retry: 'retrying',
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
};
/** pg-boss's limit: expiration must stay under 24 hours. */
const MAX_EXPIRE_SECONDS = 24 * 60 * 60 - 1;

/**
 * Opens the job queue in `database` (its schema is created or migrated on the way), sharing the
 * database's connections and timeouts (see BossDatabase). Cron schedules are off: a run at a
 * later time is a job with `startAfter`.
 */
export async function openJobQueue(database: Database, options: JobQueueOptions): Promise<JobQueue> {
  const db = new BossDatabase(database);
  const schema = options.schema ?? JOB_QUEUE_DEFAULTS.schema;
  if (!/^[A-Za-z_]\w{0,49}$/.test(schema)) throw new Error(`A job queue schema is a letter or _ then letters, digits or _ (50 at most), got "${schema}".`);
  const maintenanceIntervalSeconds = requireInteger('maintenanceIntervalSeconds', options.maintenanceIntervalSeconds ?? JOB_QUEUE_DEFAULTS.maintenanceIntervalSeconds, 1, MAX_EXPIRE_SECONDS);
  const logger = options.logger.child({ jobQueue: schema });

  const boss = new PgBoss({ db, schema, migrate: true, supervise: true, schedule: false, maintenanceIntervalSeconds });
  boss.on('error', (error) => logger.error({ err: error }, 'job queue error'));
  await boss.start();

  const defined = new Set<string>();
  const loops: Pick<WorkLoop<object>, 'finished' | 'stop' | 'abandon' | 'failUnfinished'>[] = [];
  let stopping: Promise<void> | undefined;

  const usable = (queue: string): void => {
    if (stopping) throw new Error('The job queue is stopped.');
    if (!defined.has(queue)) throw new Error(`No queue "${queue}" is defined on this job queue: call defineQueue first.`);
  };

  const stop = async ({ graceful = STOP_DEFAULTS.graceful, timeoutMs = STOP_DEFAULTS.timeoutMs }: StopOptions): Promise<void> => {
    for (const loop of loops) loop.stop();
    if (graceful) {
      let timer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        Promise.all(loops.map((loop) => loop.finished)).then(() => true),
        new Promise<false>((resolve) => {
          timer = setTimeout(() => resolve(false), timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (!finished) await Promise.all(loops.map((loop) => loop.failUnfinished(STOPPED_BEFORE_FINISHED)));
    } else {
      for (const loop of loops) loop.abandon(STOPPED_BEFORE_FINISHED);
    }
    try {
      // Its maintenance timer and internal state; its database is ours and stays open.
      await boss.stop({ graceful: false, close: false, wait: true });
    } catch (error) {
      logger.error({ err: error }, 'job queue: pg-boss did not stop cleanly');
    }
    await db.close(graceful);
  };

  return {
    schema,
    async defineQueue(definition) {
      if (stopping) throw new Error('The job queue is stopped.');
      const name = definition.name;
      if (typeof name !== 'string' || !/^[\w-]+$/.test(name)) throw new Error(`A queue name is letters, digits, _ and -, got "${String(name)}".`);
      const policy = definition.policy ?? QUEUE_DEFAULTS.policy;
      if (!POLICIES.includes(policy)) throw new Error(`A queue policy is one of ${POLICIES.join(', ')}, got "${String(policy)}".`);
      const retryBackoff = definition.retryBackoff ?? QUEUE_DEFAULTS.retryBackoff;
      if (typeof retryBackoff !== 'boolean') throw new Error(`retryBackoff must be true or false, got ${String(retryBackoff)}.`);
      const settings: PgBoss.Queue = {
        name,
        policy,
        retryLimit: requireInteger('retryLimit', definition.retryLimit ?? QUEUE_DEFAULTS.retryLimit, 0),
        retryDelay: requireInteger('retryDelaySeconds', definition.retryDelaySeconds ?? QUEUE_DEFAULTS.retryDelaySeconds, 0),
        retryBackoff,
        expireInSeconds: requireInteger('expireInSeconds', definition.expireInSeconds ?? QUEUE_DEFAULTS.expireInSeconds, 1, MAX_EXPIRE_SECONDS),
      };
      // createQueue leaves an existing queue as it is; the update then makes it this definition.
      await boss.createQueue(name, settings);
      await boss.updateQueue(name, settings);
      defined.add(name);
    },

    async send(queue, data, sendOptions = {}) {
      usable(queue);
      const { key, startAfter, tx } = sendOptions;
      if (startAfter !== undefined && !(startAfter instanceof Date && Number.isFinite(startAfter.getTime()))) {
        throw new Error(`startAfter must be a valid Date, got ${String(startAfter)}.`);
      }
      // Keys left out rather than undefined: pg-boss tells given options by their presence.
      const bossOptions: PgBoss.SendOptions = {};
      if (key !== undefined) bossOptions.singletonKey = key;
      if (startAfter !== undefined) bossOptions.startAfter = startAfter;
      if (tx !== undefined) bossOptions.db = transactionDb(tx);
      const id = await boss.send(queue, data, bossOptions);
      // Without a key nothing deduplicates: no row means the queue itself is gone.
      if (id === null && key === undefined) throw new Error(`The queue "${queue}" is not in the schema ${schema} (deleted since it was defined?).`);
      return id;
    },

    work(queue, workOptions, handler) {
      usable(queue);
      const concurrency = requireInteger('concurrency', workOptions.concurrency ?? WORK_DEFAULTS.concurrency, 1);
      const batchSize = requireInteger('batchSize', workOptions.batchSize ?? WORK_DEFAULTS.batchSize, 1);
      const pollingIntervalSeconds = workOptions.pollingIntervalSeconds ?? WORK_DEFAULTS.pollingIntervalSeconds;
      if (!(typeof pollingIntervalSeconds === 'number' && pollingIntervalSeconds >= 0.5 && Number.isFinite(pollingIntervalSeconds))) {
        throw new Error(`pollingIntervalSeconds must be a number of at least 0.5, got ${String(pollingIntervalSeconds)}.`);
      }
      for (let i = 0; i < concurrency; i++) {
        const loop = new WorkLoop({ boss, db, queue, batchSize, pollingIntervalMs: pollingIntervalSeconds * 1000, handler, logger });
        loops.push(loop);
      }
    },

    async counts(queue) {
      usable(queue);
      // pg-boss 10 counts per queue only for all queues at once; its job table is partitioned by
      // queue name, so this reads the one queue's partition.
      const { rows } = await database.query<{ state: string; n: string }>(`SELECT state::text AS state, count(*) AS n FROM ${schema}.job WHERE name = $1 GROUP BY state`, [queue]);
      const count = (state: string) => Number(rows.find((row) => row.state === state)?.n ?? 0);
      return { queued: count('created'), active: count('active'), retrying: count('retry'), completed: count('completed'), failed: count('failed') };
    },

    async job<T>(queue: string, id: string) {
      usable(queue);
      const found = await boss.getJobById<T>(queue, id);
      if (!found) return null;
      const state = STATES[found.state] ?? 'failed';
      const record: JobRecord<T> = {
        id: found.id,
        queue,
        state,
        data: found.data,
        attempts: found.startedOn ? found.retryCount + 1 : 0,
        startAfter: found.startAfter,
      };
      const error = state === 'retrying' || state === 'failed' ? failureMessage(found.output) : undefined;
      if (error !== undefined) record.error = error;
      return record;
    },

    async stop(stopOptions = {}) {
      if (!stopping) {
        requireInteger('timeoutMs', stopOptions.timeoutMs ?? STOP_DEFAULTS.timeoutMs, 0);
        stopping = stop(stopOptions);
      }
      return stopping;
    },
  };
}

/** A failed run's message: ours (`{ message }`), or maintenance's for a job that expired (`{ value: { message } }`). */
function failureMessage(output: unknown): string | undefined {
  const message = (output as { message?: unknown } | null)?.message ?? (output as { value?: { message?: unknown } } | null)?.value?.message;
  return typeof message === 'string' ? message : undefined;
}
