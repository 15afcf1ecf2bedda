/**
 * The code of the worker thread that runs PGlite (plain JavaScript: a worker evaluates it
 * as is, with no TypeScript loader and outside any test runner's module sandbox).
 *
 * workerData: { pglitePath, dataDir }. Messages in: { id, sql, params }, { id, script } (several
 * statements, no parameters: PGlite's exec(), as its query() takes one) or { id, close: true }.
 * Messages out: { ready: true } | { ready: false, error } once, then { id, rows } | { id, error }.
 * An error is sent as its message plus the PostgreSQL fields (code, detail, constraint, …).
 */
export const PGLITE_WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite, types } = require(workerData.pglitePath);

// bigint and date as strings, as pg returns them (PGlite: a lossy number, a UTC Date).
const parsers = { [types.INT8]: (v) => v, [types.DATE]: (v) => v };

function plainError(error) {
  const out = { message: error instanceof Error ? error.message : String(error) };
  if (error && typeof error === 'object') {
    for (const [key, value] of Object.entries(error)) {
      if (typeof value === 'string' || typeof value === 'number') out[key] = value;
    }
  }
  return out;
}

// 16 MB of shared buffers instead of PostgreSQL's 128 MB: the embedded default holds a
// development or test database, and each open PGlite costs ~140 MB less resident memory.
const startParams = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

PGlite.create(workerData.dataDir, { parsers, startParams }).then(
  (db) => {
    parentPort.on('message', async (message) => {
      if (message.close) {
        try {
          await db.close();
          parentPort.postMessage({ id: message.id, rows: [] });
        } catch (error) {
          parentPort.postMessage({ id: message.id, error: plainError(error) });
        }
        return;
      }
      if (message.script !== undefined) {
        const wasInTransaction = db.isInTransaction();
        try {
          const results = await db.exec(message.script);
          parentPort.postMessage({ id: message.id, rows: results.length > 0 ? results[results.length - 1].rows : [] });
        } catch (error) {
          // A script that failed inside a transaction it began leaves PGlite's one session
          // aborted, refusing every later statement: end that transaction here.
          if (!wasInTransaction && db.isInTransaction()) await db.exec('ROLLBACK').catch(() => undefined);
          parentPort.postMessage({ id: message.id, error: plainError(error) });
        }
        return;
      }
      try {
        const result = await db.query(message.sql, message.params);
        parentPort.postMessage({ id: message.id, rows: result.rows });
      } catch (error) {
        parentPort.postMessage({ id: message.id, error: plainError(error) });
      }
    });
    parentPort.postMessage({ ready: true });
  },
  (error) => parentPort.postMessage({ ready: false, error: plainError(error) }),
);
`;
