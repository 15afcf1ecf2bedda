import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import { type DataDirLock, lockDataDir } from './dataDirLock';
import type { Database, Queryable } from './database';
import { PGLITE_WORKER_SOURCE } from './pgliteWorkerSource';
import { SerialQueue } from './serialQueue';

type Reply = { id: number; rows: unknown[] } | { id: number; error: Record<string, unknown> & { message: string } };
type Ready = { ready: true } | { ready: false; error: { message: string } };

/** An error from the worker with PostgreSQL's fields (`code`, `detail`, …) as `pg` has them. */
function toError(fields: Record<string, unknown> & { message: string }): Error {
  const { message, ...rest } = fields;
  const error = new Error(message);
  delete rest.stack;
  return Object.assign(error, rest);
}

export interface PgliteOptions {
  /** How long the worker may take to answer one statement (see DatabaseTimeouts.statementTimeoutMs). */
  statementTimeoutMs: number;
}

/**
 * PGlite in memory (`dataDir` undefined) or in a data directory, run in a worker thread:
 * its WebAssembly PostgreSQL then never blocks this thread's event loop, and it loads the same
 * under any module sandbox (Jest cannot load PGlite in its own). PGlite has one session, so
 * every query and transaction goes through one queue: concurrent callers never interleave.
 *
 * PGlite has no statement timeout of its own (it ignores `statement_timeout`), so each
 * statement is timed here: one the worker has not answered within `statementTimeoutMs` is
 * rejected, and while it is overdue every later one fails at once rather than queueing behind
 * it (the worker answers in order), so callers fail within a bound however many wait. Once
 * the worker answers it, the database is used as before.
 */
export async function openPglite(dataDir: string | undefined, options: PgliteOptions): Promise<Database> {
  // PGlite creates the data directory itself but not its parents (.data/ on a fresh clone).
  if (dataDir !== undefined) mkdirSync(dirname(dataDir), { recursive: true });
  // One process at a time in a data directory (dataDirLock.ts); in memory, nothing to share.
  const lock: DataDirLock | undefined = dataDir === undefined ? undefined : lockDataDir(dataDir);
  const worker = new Worker(PGLITE_WORKER_SOURCE, {
    eval: true,
    workerData: { pglitePath: require.resolve('@electric-sql/pglite'), dataDir },
  });
  const pending = new Map<number, { resolve: (rows: unknown[]) => void; reject: (error: Error) => void; timer?: NodeJS.Timeout }>();
  /** Statements that timed out and that the worker has not answered yet. */
  const overdue = new Set<number>();
  let nextId = 1;
  let stopped: Error | undefined;

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    const onExit = (code: number) => reject(new Error(`The PGlite worker stopped while starting (exit code ${code}).`));
    worker.once('error', onError);
    worker.once('exit', onExit);
    worker.once('message', (message: Ready) => {
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (message.ready) resolve();
      else reject(toError(message.error));
    });
  }).catch(async (error: unknown) => {
    await worker.terminate();
    lock?.release();
    throw error;
  });

  const settled = (id: number) => {
    const waiting = pending.get(id);
    if (!waiting) return undefined;
    pending.delete(id);
    clearTimeout(waiting.timer);
    if (pending.size === 0) worker.unref();
    return waiting;
  };
  const stop = (error: Error) => {
    stopped ??= error;
    for (const id of [...pending.keys()]) settled(id)!.reject(stopped);
  };
  worker.on('message', (reply: Reply) => {
    // A late answer to a statement that timed out: the worker is answering again.
    if (overdue.delete(reply.id)) return;
    const waiting = settled(reply.id);
    if (!waiting) return;
    if ('error' in reply) waiting.reject(toError(reply.error));
    else waiting.resolve(reply.rows);
  });
  worker.on('error', (error) => stop(new Error(`The PGlite worker failed: ${error.message}`)));
  worker.on('exit', (code) => stop(new Error(`The PGlite worker stopped (exit code ${code}).`)));
  // Idle, the worker does not keep the process alive; while a query runs, it does.
  worker.unref();

  const { statementTimeoutMs } = options;
  const unanswered = () => new Error(`PGlite has not answered a statement within ${statementTimeoutMs} ms; nothing more is sent to it until it does.`);
  const refuseWhileOverdue = () => {
    if (overdue.size > 0) throw unanswered();
  };

  /**
   * Posts one message. `timed`: rejected after statementTimeoutMs, and counted overdue until
   * answered. `whileOverdue`: sent even while another statement is overdue (a ROLLBACK, which
   * must reach the session whatever happens, so it never stays inside a transaction).
   */
  const send = (message: { sql: string; params: unknown[] } | { script: string } | { close: true }, how: { timed: boolean; whileOverdue?: boolean }): Promise<unknown[]> => {
    if (stopped) return Promise.reject(stopped);
    if (overdue.size > 0 && !how.whileOverdue) return Promise.reject(unanswered());
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const waiting: { resolve: (rows: unknown[]) => void; reject: (error: Error) => void; timer?: NodeJS.Timeout } = { resolve, reject };
      if (how.timed) {
        waiting.timer = setTimeout(() => {
          if (!settled(id)) return;
          overdue.add(id);
          reject(new Error(`PGlite did not answer the statement within ${statementTimeoutMs} ms.`));
        }, statementTimeoutMs);
      }
      pending.set(id, waiting);
      if (pending.size === 1) worker.ref();
      worker.postMessage({ id, ...message });
    });
  };
  const run = async <T>(sql: string, params: readonly unknown[] = [], whileOverdue = false): Promise<{ rows: T[] }> => ({
    rows: (await send({ sql, params: [...params] }, { timed: true, whileOverdue })) as T[],
  });
  const queue = new SerialQueue();

  return {
    kind: 'pglite',
    query<T>(sql: string, params?: readonly unknown[]) {
      return queue.run(() => run<T>(sql, params));
    },
    script<T>(sql: string) {
      // Timed and refused while overdue as a statement is: the worker runs the whole script in one turn.
      return queue.run(async () => ({ rows: (await send({ script: sql }, { timed: true })) as T[] }));
    },
    transaction<T>(fn: (tx: Queryable) => Promise<T>) {
      return queue.run(async () => {
        // Before BEGIN is sent: from then on a failure must be followed by a ROLLBACK.
        refuseWhileOverdue();
        let open = true;
        const tx: Queryable = {
          query<R>(sql: string, params?: readonly unknown[]) {
            if (!open) return Promise.reject(new Error('This transaction has ended; its queries can no longer run.'));
            return run<R>(sql, params);
          },
        };
        try {
          await run('BEGIN');
          const result = await fn(tx);
          await run('COMMIT');
          return result;
        } catch (error) {
          // Also after a BEGIN or COMMIT that timed out: the worker runs it later, and then this.
          await run('ROLLBACK', [], true).catch(() => undefined);
          throw error;
        } finally {
          open = false;
        }
      });
    },
    async close() {
      try {
        // A stuck worker cannot close its database: it is stopped as it is.
        await queue.run(async () => {
          if (overdue.size === 0) await send({ close: true }, { timed: false });
        });
      } finally {
        await worker.terminate();
        lock?.release();
      }
    },
  };
}
