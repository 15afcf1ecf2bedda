import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
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

/**
 * PGlite in memory (`dataDir` undefined) or in a data directory, run in a worker thread:
 * its WebAssembly PostgreSQL then never blocks this thread's event loop, and it loads the same
 * under any module sandbox (Jest cannot load PGlite in its own). PGlite has one session, so
 * every query and transaction goes through one queue: concurrent callers never interleave.
 */
export async function openPglite(dataDir: string | undefined): Promise<Database> {
  // PGlite creates the data directory itself but not its parents (.data/ on a fresh clone).
  if (dataDir !== undefined) mkdirSync(dirname(dataDir), { recursive: true });
  const worker = new Worker(PGLITE_WORKER_SOURCE, {
    eval: true,
    workerData: { pglitePath: require.resolve('@electric-sql/pglite'), dataDir },
  });
  const pending = new Map<number, { resolve: (rows: unknown[]) => void; reject: (error: Error) => void }>();
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
    throw error;
  });

  const stop = (error: Error) => {
    stopped ??= error;
    for (const { reject } of pending.values()) reject(stopped);
    pending.clear();
  };
  worker.on('message', (reply: Reply) => {
    const waiting = pending.get(reply.id);
    if (!waiting) return;
    pending.delete(reply.id);
    if (pending.size === 0) worker.unref();
    if ('error' in reply) waiting.reject(toError(reply.error));
    else waiting.resolve(reply.rows);
  });
  worker.on('error', (error) => stop(new Error(`The PGlite worker failed: ${error.message}`)));
  worker.on('exit', (code) => stop(new Error(`The PGlite worker stopped (exit code ${code}).`)));
  // Idle, the worker does not keep the process alive; while a query runs, it does.
  worker.unref();

  const send = (message: { sql: string; params: unknown[] } | { close: true }): Promise<unknown[]> => {
    if (stopped) return Promise.reject(stopped);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      if (pending.size === 1) worker.ref();
      worker.postMessage({ id, ...message });
    });
  };
  const run = async <T>(sql: string, params: readonly unknown[] = []): Promise<{ rows: T[] }> => ({
    rows: (await send({ sql, params: [...params] })) as T[],
  });
  const queue = new SerialQueue();

  return {
    kind: 'pglite',
    query<T>(sql: string, params?: readonly unknown[]) {
      return queue.run(() => run<T>(sql, params));
    },
    transaction<T>(fn: (tx: Queryable) => Promise<T>) {
      return queue.run(async () => {
        let open = true;
        const tx: Queryable = {
          query<R>(sql: string, params?: readonly unknown[]) {
            if (!open) return Promise.reject(new Error('This transaction has ended; its queries can no longer run.'));
            return run<R>(sql, params);
          },
        };
        await run('BEGIN');
        try {
          const result = await fn(tx);
          await run('COMMIT');
          return result;
        } catch (error) {
          await run('ROLLBACK').catch(() => undefined);
          throw error;
        } finally {
          open = false;
        }
      });
    },
    async close() {
      await queue.run(() => send({ close: true }));
      await worker.terminate();
    },
  };
}
