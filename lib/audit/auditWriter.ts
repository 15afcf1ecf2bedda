import { AsyncResource } from 'node:async_hooks';
import { type AuditRecord, type AuditRecordInput, canonicalAuditRecord, chainHash, GENESIS_HASH, normaliseAuditRecord } from './auditRecord';
import { type AuditStore, INSERT_COLUMNS } from './auditStore';

export interface AuditWriterOptions {
  /** How long `append` waits for another replica's append before failing. @default 5000 */
  lockTimeoutMs?: number;
  /**
   * Most records one commit writes (group commit: appends that arrive while a write is in
   * flight go together in the next one). 1 writes each record on its own. @default 200
   */
  maxBatchSize?: number;
  /** Told of every batch written or failed (the gateway's metrics); whatever it throws is ignored. @default none */
  observer?: AuditWriteObserver;
}

/** What a watcher of the writer (metrics) is told: one commit, its records and how long it took. */
export interface AuditWriteObserver {
  batchWritten(batch: { records: number; seconds: number; ok: boolean }): void;
}

const DEFAULT_LOCK_TIMEOUT_MS = 5000;
const DEFAULT_MAX_BATCH_SIZE = 200;

/** PostgreSQL takes at most 65535 parameters in one statement; a record takes 19 of them. */
const MAX_BATCH_SIZE = 1000;

export interface AppendResult {
  id: number;
  hash: string;
  prevHash: string;
}

/**
 * Appends to the hash-chained audit log. Each record's hash covers the previous record's
 * hash and the record's canonical text, so changing, removing or reordering a stored record
 * shows in `verify` (auditChain.ts). Any number of writers — in one process or in gateway
 * replicas sharing one PostgreSQL — append to one chain.
 *
 * Group commit: a transaction per record would cap the gateway at the database's commit rate
 * and cost it a few ms of CPU per request, so appends that arrive while this writer is
 * writing wait and then go together, chained in arrival order, in one INSERT that commits
 * once. Each `append` resolves only after the statement holding its record has committed;
 * if it fails, every append in it rejects.
 *
 * One chain: every write holds a transaction-scoped advisory lock on the table while it
 * inserts, and `id` and `prev_hash` are unique, so two writers can never both extend the
 * same record. A writer chains onto the last record it knows of (its own last write) in
 * a single statement; if another writer got in between, that statement violates a unique
 * constraint and writes nothing, and the batch is written again in a transaction that takes
 * the lock and reads the last record before it inserts.
 */
export class AuditWriter {
  /** Appends waiting for the next write, in arrival order. */
  private waiting: PendingAppend[] = [];
  private writing = false;
  /**
   * The writer runs in the log's own async context, not in that of whichever request
   * happened to start it (its AsyncLocalStorage stores, e.g. a transaction guard).
   */
  private readonly writerScope = new AsyncResource('AuditLog.writer');
  /** The last record this writer wrote or read under the lock: where its next batch chains on. */
  private last: { id: number; hash: string } | undefined;
  private readonly lockTimeoutMs: number;
  private readonly maxBatchSize: number;
  private readonly observer: AuditWriteObserver | undefined;

  /** Checks the options only; the store must be installed before the first append. */
  constructor(
    private readonly store: AuditStore,
    options: AuditWriterOptions = {},
  ) {
    this.maxBatchSize = options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE;
    this.lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
    this.observer = options.observer;
    if (!Number.isSafeInteger(this.maxBatchSize) || this.maxBatchSize < 1 || this.maxBatchSize > MAX_BATCH_SIZE) {
      throw new Error(`AuditLog maxBatchSize must be an integer from 1 to ${MAX_BATCH_SIZE}.`);
    }
    if (!Number.isSafeInteger(this.lockTimeoutMs) || this.lockTimeoutMs < 0) {
      throw new Error('AuditLog lockTimeoutMs must be a non-negative integer.');
    }
  }

  /**
   * Validates, normalises and appends one record. Resolves once the statement that wrote it
   * has committed; rejects if it cannot be written (the caller must then not answer: fail
   * closed). An invalid record rejects at once and never joins a batch.
   */
  async append(input: AuditRecordInput): Promise<AppendResult> {
    const record = normaliseAuditRecord(input);
    const canonical = canonicalAuditRecord(record);
    return new Promise<AppendResult>((resolve, reject) => {
      this.waiting.push({ record, canonical, resolve, reject });
      if (this.writing) return;
      this.writing = true;
      // On the next microtask, so appends made in the same turn already go in the first batch.
      queueMicrotask(() => this.writerScope.runInAsyncScope(() => void this.writeWaiting()));
    });
  }

  /** Writes waiting appends, a batch per commit, until none is left. */
  private async writeWaiting(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, this.maxBatchSize);
        const started = process.hrtime.bigint();
        try {
          const written = await this.writeBatch(batch);
          this.observe(batch.length, started, true);
          batch.forEach((pending, i) => pending.resolve(written[i]!));
        } catch (error) {
          this.observe(batch.length, started, false);
          // Nothing of the batch was committed: every request in it fails closed.
          for (const pending of batch) pending.reject(error);
        }
      }
    } finally {
      this.writing = false;
    }
  }

  /**
   * Chains the batch onto the last record this writer knows of, in one statement; if
   * another writer got in between (or none is known yet), writes it under the lock instead.
   */
  private async writeBatch(batch: readonly PendingAppend[]): Promise<AppendResult[]> {
    const { db, table } = this.store;
    const known = this.last;
    if (known) {
      const insert = this.chained(batch, known);
      try {
        await db.query(insert.sql, insert.params);
        this.remember(insert.written);
        return insert.written;
      } catch (error) {
        // Someone else took the next id or chained onto the same record: nothing was written.
        if ((error as { code?: unknown }).code !== UNIQUE_VIOLATION) throw error;
      }
    }
    const written = await db.transaction(async (tx) => {
      // A fresh snapshot per statement, whatever the server's default: the read below then
      // sees the record the previous lock holder committed.
      await tx.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
      await tx.query("SELECT set_config('lock_timeout', $1, true)", [`${this.lockTimeoutMs}ms`]);
      await this.store.lock(tx);
      const { rows } = await tx.query<{ id: string; hash: string }>(`SELECT id, hash FROM "${table}" ORDER BY id DESC LIMIT 1`);
      const last = rows[0];
      const insert = this.chained(batch, last ? { id: Number(last.id), hash: last.hash } : { id: 0, hash: GENESIS_HASH });
      await tx.query(insert.sql, insert.params);
      return insert.written;
    });
    this.remember(written);
    return written;
  }

  /**
   * The INSERT of a batch chained in order onto `after`, and what each record becomes. The
   * statement takes the table's advisory lock before it writes a row, so it never slips in
   * between another writer's read of the last record and its insert.
   */
  private chained(batch: readonly PendingAppend[], after: { id: number; hash: string }): { sql: string; params: unknown[]; written: AppendResult[] } {
    let id = after.id;
    let prevHash = after.hash;
    const written: AppendResult[] = [];
    const params: unknown[] = [`${this.lockTimeoutMs}ms`, this.store.lockKey];
    const tuples: string[] = [];
    for (const { record, canonical } of batch) {
      id += 1;
      const hash = chainHash(prevHash, canonical);
      const c = record.caller;
      const base = params.length;
      tuples.push(`(${INSERT_COLUMNS.map(([, type], i) => `$${base + i + 1}::${type}`).join(', ')})`);
      params.push(
        id,
        record.at,
        record.requestId,
        c.kind,
        c.court,
        c.officer,
        c.idNumber,
        record.caseNumber,
        record.subjects,
        record.operationName,
        record.operationHash,
        record.fields,
        record.agencies,
        record.outcome,
        record.errorCodes,
        record.latencyMs,
        prevHash,
        hash,
        record.purpose,
      );
      written.push({ id, hash, prevHash });
      prevHash = hash;
    }
    const columns = INSERT_COLUMNS.map(([name]) => name).join(', ');
    // set_config first (the CTE chain orders them), so lock_timeout bounds the lock wait.
    const sql = `WITH timeout AS (SELECT set_config('lock_timeout', $1, true)),
      locked AS (SELECT pg_advisory_xact_lock($2::bigint) FROM timeout)
      INSERT INTO "${this.store.table}" (${columns})
      SELECT v.* FROM (VALUES ${tuples.join(', ')}) AS v(${columns}) CROSS JOIN locked`;
    return { sql, params, written };
  }

  /** A watcher's failure never touches the appends: they wait on the database alone. */
  private observe(records: number, started: bigint, ok: boolean): void {
    try {
      this.observer?.batchWritten({ records, seconds: Number(process.hrtime.bigint() - started) / 1e9, ok });
    } catch {
      // Metrics are never a reason to fail an append.
    }
  }

  private remember(written: readonly AppendResult[]): void {
    const newest = written[written.length - 1];
    if (newest) this.last = { id: newest.id, hash: newest.hash };
  }
}

interface PendingAppend {
  record: AuditRecord;
  canonical: string;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

/** PostgreSQL's SQLSTATE for a unique constraint (here: `id`, `prev_hash`, `hash`) refusing a row. */
const UNIQUE_VIOLATION = '23505';
