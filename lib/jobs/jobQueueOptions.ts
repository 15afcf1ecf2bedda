import type { Logger } from '../log/logger';

/** How an opened job queue keeps its tables. */
export interface JobQueueOptions {
  /** Where pg-boss's errors go (maintenance that failed, a job whose outcome could not be recorded); never unhandled. */
  logger: Logger;
  /**
   * The PostgreSQL schema holding the queue's tables, created (and migrated) on open. Every
   * instance that shares queues names the same schema; tests name one of their own.
   * @default 'jobs'
   */
  schema?: string;
  /**
   * How often this instance offers to run maintenance: fail jobs active past their
   * `expireInSeconds` (their worker died or hung; they are then retried per their queue), and
   * archive old ones. Instances take turns through the database, so it runs about once per
   * interval whatever their number. A dead worker's job is retried within
   * `expireInSeconds` + about two intervals. At least 1. @default 120 (pg-boss's)
   */
  maintenanceIntervalSeconds?: number;
}

/** What to do when the same `key` is sent again (`SendOptions.key`). */
export type QueuePolicy =
  /** A key deduplicates nothing: every send is a job. */
  | 'standard'
  /** A send whose key matches a job still queued (not started) is dropped. */
  | 'short'
  /** At most one job per key runs at a time; others with that key wait. */
  | 'singleton'
  /** At most one job per key queued and one running: a send matching a queued one is dropped. */
  | 'stately';

/**
 * One queue's settings. They live in the database, shared by every instance: define a queue
 * from one module that producers and workers both import. Jobs take them when sent, so a
 * change reaches jobs sent after it.
 */
export interface QueueDefinition {
  /** Letters, digits, `_`, `-`. */
  name: string;
  /** @default 'standard' */
  policy?: QueuePolicy;
  /** Runs after the first that a failing job gets; it fails for good after the last. @default 2 (pg-boss's) */
  retryLimit?: number;
  /** Seconds before a failed job runs again. @default 0 */
  retryDelaySeconds?: number;
  /** Double the delay at each retry (with jitter), from `retryDelaySeconds` (at least 1). @default false */
  retryBackoff?: boolean;
  /**
   * How long one run may take. pg-boss 10 has no heartbeat, so this is both the hard limit of
   * a healthy run (a handler still running then is failed, its result ignored) and how long a
   * job whose worker died stays claimed before maintenance frees it for a retry. Set it above
   * the longest run. 1 to 86,399. @default 900 (pg-boss's 15 minutes)
   */
  expireInSeconds?: number;
}

export const QUEUE_DEFAULTS = {
  policy: 'standard',
  retryLimit: 2,
  retryDelaySeconds: 0,
  retryBackoff: false,
  expireInSeconds: 900,
} as const satisfies Required<Omit<QueueDefinition, 'name'>>;

/** How one `work()` call takes jobs of a queue. */
export interface WorkOptions {
  /** Jobs run at once by this instance for this call: that many serial loops. @default 1 */
  concurrency?: number;
  /** Jobs one loop claims per fetch, then runs one after the other. More means fewer fetches, and jobs held while their batch-mates run. @default 1 */
  batchSize?: number;
  /** How long an idle loop waits before it asks again (a loop that found jobs asks again at once). At least 0.5. @default 2 (pg-boss's) */
  pollingIntervalSeconds?: number;
}

export const WORK_DEFAULTS = {
  concurrency: 1,
  batchSize: 1,
  pollingIntervalSeconds: 2,
} as const satisfies Required<WorkOptions>;

/** How `stop()` ends the instance's work. */
export interface StopOptions {
  /**
   * `true`: fetch no more, and let every loop finish the batch it holds, up to `timeoutMs`;
   * jobs still running then are failed ("stopped before the job finished"), to be retried per
   * their queue. `false`: stop now and write nothing more, as a crash would: running jobs stay
   * claimed until their `expireInSeconds` and are then retried by any instance (the database
   * may be what is failing; a stop must not wait on it). @default true
   */
  graceful?: boolean;
  /** How long a graceful stop waits for running jobs. @default 30000 */
  timeoutMs?: number;
}

export const STOP_DEFAULTS = {
  graceful: true,
  timeoutMs: 30_000,
} as const satisfies Required<StopOptions>;

export const JOB_QUEUE_DEFAULTS = {
  schema: 'jobs',
  maintenanceIntervalSeconds: 120,
} as const satisfies Required<Omit<JobQueueOptions, 'logger'>>;

/** Throws unless `value` is an integer from `min` to `max`. */
export function requireInteger(name: string, value: number, min: number, max?: number): number {
  if (!Number.isSafeInteger(value) || value < min || (max !== undefined && value > max)) {
    const range = max === undefined ? `of at least ${min}` : `from ${min} to ${max}`;
    throw new Error(`${name} must be an integer ${range}, got ${String(value)}.`);
  }
  return value;
}
