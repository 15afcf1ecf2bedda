import { AsyncResource } from 'node:async_hooks';
import { advisoryLockKey } from '../../lib/db/advisoryLockKey';
import type { Database, Queryable } from '../../lib/db/openDatabase';
import {
  type AuditCallerKind,
  type AuditOutcome,
  type AuditRecord,
  type AuditRecordInput,
  AUDIT_OUTCOMES,
  canonicalAuditRecord,
  type FinalOutcome,
  chainHash,
  GENESIS_HASH,
  normaliseAuditRecord,
} from './auditRecord';

export interface AuditLogOptions {
  /** Table name: lowercase letters, digits, `_`; at most 48 characters. @default 'audit_log' */
  table?: string;
  /** How long `append` waits for another replica's append before failing. @default 5000 */
  lockTimeoutMs?: number;
  /** Records `verify` reads per query. @default 1000 */
  verifyPageSize?: number;
  /**
   * Most records one commit writes (group commit: appends that arrive while a write is in
   * flight go together in the next one). 1 writes each record on its own. @default 200
   */
  maxBatchSize?: number;
  /**
   * Create the table and its guard if missing (needs a role that may create them). `false`
   * for read-only tools: the table must exist. Either way an installed log is not changed.
   * @default true
   */
  create?: boolean;
}

const defaults: Required<AuditLogOptions> = {
  table: 'audit_log',
  lockTimeoutMs: 5000,
  verifyPageSize: 1000,
  maxBatchSize: 200,
  create: true,
};

/** PostgreSQL takes at most 65535 parameters in one statement; a record takes 18 of them. */
const MAX_BATCH_SIZE = 1000;

export interface AppendResult {
  id: number;
  hash: string;
  prevHash: string;
}

/**
 * What became of a request, as the readers show it: its final record's outcome, or
 * `UNFINISHED` for an intent with no final record (the request was cut off after its intent
 * was written: the process stopped, or the final record could not be committed and the
 * caller got a 503). Either way it is an access that was made.
 */
export type AccessOutcome = FinalOutcome | 'UNFINISHED';

/**
 * One request as the readers (`accessesOf`, `accessesInCases`, `reviewOf`, `unfinished`) show
 * it: its final record, or its intent when it has none (outcome `UNFINISHED`), with that
 * record's place in the chain.
 */
export interface AuditEntry extends Omit<AuditRecord, 'outcome'> {
  id: number;
  hash: string;
  prevHash: string;
  outcome: AccessOutcome;
}

/**
 * - `HASH_MISMATCH`: the record's fields no longer give its stored hash (a field was changed).
 * - `CHAIN_BROKEN`: its previous hash is not the hash of the record before it.
 * - `GAP`: the record with this id is missing (ids run 1, 2, 3, … without holes).
 */
export type AuditBreak = 'HASH_MISMATCH' | 'CHAIN_BROKEN' | 'GAP';

/** `count`: records checked and found intact (when broken: those before the first break). */
export type VerifyResult = { ok: true; count: number } | { ok: false; count: number; firstBroken: { id: number; reason: AuditBreak } };

export interface AccessesOfOptions {
  /** Only records at or before this time. @default no bound */
  until?: Date | string;
  /** @default 1000 */
  limit?: number;
}

export interface ReviewOfOptions {
  /** From this time, inclusive. @default no bound */
  from?: Date | string;
  /** Up to this time, exclusive. @default no bound */
  to?: Date | string;
  /** @default 10000 */
  limit?: number;
}

const ACCESSES_LIMIT = 1000;
const REVIEW_LIMIT = 10_000;

const CALLER_KINDS_SQL = "('court', 'supervisor-as-court', 'citizen', 'anonymous')";
const OUTCOMES_SQL = `(${AUDIT_OUTCOMES.map((o) => `'${o}'`).join(', ')})`;

/**
 * The readers' filter to one entry per request: a final record, or an intent whose request
 * has no final record (by the `request_id` index). The table is aliased `r` in the readers.
 */
const ONE_PER_REQUEST = (table: string) =>
  `(r.outcome <> 'INTENT' OR NOT EXISTS (SELECT 1 FROM "${table}" f WHERE f.request_id = r.request_id AND f.outcome <> 'INTENT'))`;

interface AuditRow {
  id: string;
  at: string;
  request_id: string;
  caller_kind: string;
  court: string | null;
  officer: string | null;
  citizen_id: string | null;
  case_number: string | null;
  subjects: string[];
  operation_name: string | null;
  operation_hash: string;
  fields: string[];
  agencies: string[];
  outcome: string;
  error_codes: string[];
  latency_ms: number;
  prev_hash: string;
  hash: string;
}

/**
 * `at` as text to the microsecond in UTC, so that verify sees exactly what is stored rather
 * than a Date rounded to the millisecond.
 */
const SELECT_COLUMNS = `id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, request_id,
  caller_kind, court, officer, citizen_id, case_number, subjects, operation_name, operation_hash,
  fields, agencies, outcome, error_codes, latency_ms, prev_hash, hash`;

/**
 * The append-only, hash-chained audit log in one table. Each record's hash covers the
 * previous record's hash and the record's canonical text, so changing, removing or
 * reordering a stored record shows in `verify`. Any number of instances — in one process or
 * in gateway replicas sharing one PostgreSQL — append to one chain.
 *
 * Group commit: a transaction per record would cap the gateway at the database's commit rate
 * and cost it a few ms of CPU per request, so appends that arrive while this instance is
 * writing wait and then go together, chained in arrival order, in one INSERT that commits
 * once. Each `append` resolves only after the statement holding its record has committed;
 * if it fails, every append in it rejects.
 *
 * One chain: every write holds a transaction-scoped advisory lock on the table while it
 * inserts, and `id` and `prev_hash` are unique, so two writers can never both extend the
 * same record. An instance chains onto the last record it knows of (its own last write) in
 * a single statement; if another writer got in between, that statement violates a unique
 * constraint and writes nothing, and the batch is written again in a transaction that takes
 * the lock and reads the last record before it inserts.
 *
 * The trigger refuses UPDATE, DELETE and TRUNCATE; in production also grant the gateway's
 * role only SELECT and INSERT, so that it cannot disable the trigger.
 */
export class AuditLog {
  /** Appends waiting for the next write, in arrival order. */
  private waiting: PendingAppend[] = [];
  private writing = false;
  /**
   * The writer runs in the log's own async context, not in that of whichever request
   * happened to start it (its AsyncLocalStorage stores, e.g. a transaction guard).
   */
  private readonly writerScope = new AsyncResource('AuditLog.writer');
  /** The last record this instance wrote or read under the lock: where its next batch chains on. */
  private last: { id: number; hash: string } | undefined;

  private constructor(
    private readonly db: Database,
    readonly table: string,
    private readonly lockKey: string,
    private readonly options: Required<AuditLogOptions>,
  ) {}

  /** Creates the table, its indexes and its append-only guard if any is missing (unless `create: false`). */
  static async open(db: Database, options: AuditLogOptions = {}): Promise<AuditLog> {
    const resolved: Required<AuditLogOptions> = {
      table: options.table ?? defaults.table,
      lockTimeoutMs: options.lockTimeoutMs ?? defaults.lockTimeoutMs,
      verifyPageSize: options.verifyPageSize ?? defaults.verifyPageSize,
      maxBatchSize: options.maxBatchSize ?? defaults.maxBatchSize,
      create: options.create ?? defaults.create,
    };
    const { table } = resolved;
    if (!/^[a-z_][a-z0-9_]{0,47}$/.test(table)) {
      throw new Error(`Audit table name "${table}" is not allowed: use lowercase letters, digits and _, at most 48 characters.`);
    }
    if (!Number.isSafeInteger(resolved.verifyPageSize) || resolved.verifyPageSize < 1) {
      throw new Error('AuditLog verifyPageSize must be a positive integer.');
    }
    if (!Number.isSafeInteger(resolved.maxBatchSize) || resolved.maxBatchSize < 1 || resolved.maxBatchSize > MAX_BATCH_SIZE) {
      throw new Error(`AuditLog maxBatchSize must be an integer from 1 to ${MAX_BATCH_SIZE}.`);
    }
    if (!Number.isSafeInteger(resolved.lockTimeoutMs) || resolved.lockTimeoutMs < 0) {
      throw new Error('AuditLog lockTimeoutMs must be a non-negative integer.');
    }
    const log = new AuditLog(db, table, advisoryLockKey('audit-log', table), resolved);
    // Installed already (and up to date): change nothing, so a replica whose role may only SELECT and INSERT starts.
    const { rows } = await db.query<{ found: string | null; guards: number; intents: number; byRequest: string | null }>(
      `SELECT to_regclass($1)::text AS found,
              (SELECT count(*)::int FROM pg_trigger WHERE tgrelid = to_regclass($1) AND tgname = ANY($2::text[])) AS guards,
              (SELECT count(*)::int FROM pg_constraint WHERE conrelid = to_regclass($1) AND contype = 'c'
                 AND pg_get_constraintdef(oid) LIKE '%outcome%' AND pg_get_constraintdef(oid) LIKE '%''INTENT''%') AS intents,
              to_regclass($3)::text AS "byRequest"`,
      [`"${table}"`, GUARDS.map(([name]) => name(table)), `"${table}_request_id"`],
    );
    const found = rows[0]?.found != null;
    const current = rows[0]?.guards === GUARDS.length && rows[0]?.intents === 1 && rows[0]?.byRequest != null;
    // A read-only tool reads an older table as it is (its readers work without the new index).
    if (found && (current || !resolved.create)) return log;
    if (!resolved.create) throw new Error(`There is no audit table "${table}" in this database.`);
    // Replicas starting together would race on CREATE … IF NOT EXISTS: the lock serialises them.
    await db.transaction(async (tx) => {
      await log.lock(tx);
      for (const statement of createStatements(table)) await tx.query(statement);
      for (const [name, timing] of GUARDS) {
        const { rows: present } = await tx.query('SELECT 1 FROM pg_trigger WHERE tgrelid = $1::regclass AND tgname = $2', [`"${table}"`, name(table)]);
        if (present.length === 0) {
          await tx.query(`CREATE TRIGGER "${name(table)}" ${timing} ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION "${table}_append_only"()`);
        }
      }
      await admitIntents(tx, table);
    });
    return log;
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
        const batch = this.waiting.splice(0, this.options.maxBatchSize);
        try {
          const written = await this.writeBatch(batch);
          batch.forEach((pending, i) => pending.resolve(written[i]!));
        } catch (error) {
          // Nothing of the batch was committed: every request in it fails closed.
          for (const pending of batch) pending.reject(error);
        }
      }
    } finally {
      this.writing = false;
    }
  }

  /**
   * Chains the batch onto the last record this instance knows of, in one statement; if
   * another writer got in between (or none is known yet), writes it under the lock instead.
   */
  private async writeBatch(batch: readonly PendingAppend[]): Promise<AppendResult[]> {
    const known = this.last;
    if (known) {
      const insert = this.chained(batch, known);
      try {
        await this.db.query(insert.sql, insert.params);
        this.remember(insert.written);
        return insert.written;
      } catch (error) {
        // Someone else took the next id or chained onto the same record: nothing was written.
        if ((error as { code?: unknown }).code !== UNIQUE_VIOLATION) throw error;
      }
    }
    const written = await this.db.transaction(async (tx) => {
      // A fresh snapshot per statement, whatever the server's default: the read below then
      // sees the record the previous lock holder committed.
      await tx.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
      await tx.query("SELECT set_config('lock_timeout', $1, true)", [`${this.options.lockTimeoutMs}ms`]);
      await this.lock(tx);
      const { rows } = await tx.query<{ id: string; hash: string }>(`SELECT id, hash FROM "${this.table}" ORDER BY id DESC LIMIT 1`);
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
    const params: unknown[] = [`${this.options.lockTimeoutMs}ms`, this.lockKey];
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
      );
      written.push({ id, hash, prevHash });
      prevHash = hash;
    }
    const columns = INSERT_COLUMNS.map(([name]) => name).join(', ');
    // set_config first (the CTE chain orders them), so lock_timeout bounds the lock wait.
    const sql = `WITH timeout AS (SELECT set_config('lock_timeout', $1, true)),
      locked AS (SELECT pg_advisory_xact_lock($2::bigint) FROM timeout)
      INSERT INTO "${this.table}" (${columns})
      SELECT v.* FROM (VALUES ${tuples.join(', ')}) AS v(${columns}) CROSS JOIN locked`;
    return { sql, params, written };
  }

  private remember(written: readonly AppendResult[]): void {
    const newest = written[written.length - 1];
    if (newest) this.last = { id: newest.id, hash: newest.hash };
  }

  /**
   * Walks the chain in id order, `verifyPageSize` records per query, and stops at the first
   * record that is missing, out of chain, or changed. Removing the newest records leaves a
   * shorter valid chain: compare `count` with a count kept elsewhere to catch that.
   */
  async verify(): Promise<VerifyResult> {
    const pageSize = this.options.verifyPageSize;
    let count = 0;
    let expectedId = 1;
    let prevHash = GENESIS_HASH;
    let afterId = '-9223372036854775808';
    for (;;) {
      const { rows } = await this.db.query<AuditRow>(
        `SELECT ${SELECT_COLUMNS} FROM "${this.table}" WHERE id > $1 ORDER BY id LIMIT $2`,
        [afterId, pageSize],
      );
      for (const row of rows) {
        const id = Number(row.id);
        if (id > expectedId) return { ok: false, count, firstBroken: { id: expectedId, reason: 'GAP' } };
        if (id < expectedId || row.prev_hash !== prevHash) return { ok: false, count, firstBroken: { id, reason: 'CHAIN_BROKEN' } };
        if (chainHash(row.prev_hash, canonicalAuditRecord(toRecord(row))) !== row.hash) {
          return { ok: false, count, firstBroken: { id, reason: 'HASH_MISMATCH' } };
        }
        prevHash = row.hash;
        expectedId = id + 1;
        count += 1;
      }
      const lastRow = rows[rows.length - 1];
      if (rows.length < pageSize || !lastRow) return { ok: true, count };
      afterId = lastRow.id;
    }
  }

  /** Requests that reached this ID number or credit code at the root, one entry each, newest first. */
  async accessesOf(subject: string, options: AccessesOfOptions = {}): Promise<AuditEntry[]> {
    const { rows } = await this.db.query<AuditRow>(
      `SELECT ${SELECT_COLUMNS} FROM "${this.table}" r
       WHERE subjects @> ARRAY[$1]::text[] AND ($2::timestamptz IS NULL OR at <= $2::timestamptz) AND ${ONE_PER_REQUEST(this.table)}
       ORDER BY id DESC LIMIT $3`,
      [subject, options.until ?? null, options.limit ?? ACCESSES_LIMIT],
    );
    return rows.map(toEntry);
  }

  /**
   * Requests that stated one of these cases and selected one of these field coordinates
   * (e.g. `EnforcementCase.debtors`: a case's dossier reaches its debtors without naming
   * them), one entry each, newest first.
   */
  async accessesInCases(caseNumbers: readonly string[], fields: readonly string[], options: AccessesOfOptions = {}): Promise<AuditEntry[]> {
    if (caseNumbers.length === 0 || fields.length === 0) return [];
    const { rows } = await this.db.query<AuditRow>(
      `SELECT ${SELECT_COLUMNS} FROM "${this.table}" r
       WHERE case_number = ANY($1::text[]) AND fields && $2::text[] AND ($3::timestamptz IS NULL OR at <= $3::timestamptz)
         AND ${ONE_PER_REQUEST(this.table)}
       ORDER BY id DESC LIMIT $4`,
      [caseNumbers, fields, options.until ?? null, options.limit ?? ACCESSES_LIMIT],
    );
    return rows.map(toEntry);
  }

  /** Requests of one court's callers (officers and supervisors acting as the court), one entry each, oldest first. */
  async reviewOf(court: string, options: ReviewOfOptions = {}): Promise<AuditEntry[]> {
    const { rows } = await this.db.query<AuditRow>(
      `SELECT ${SELECT_COLUMNS} FROM "${this.table}" r
       WHERE court = $1 AND ($2::timestamptz IS NULL OR at >= $2::timestamptz) AND ($3::timestamptz IS NULL OR at < $3::timestamptz)
         AND ${ONE_PER_REQUEST(this.table)}
       ORDER BY id LIMIT $4`,
      [court, options.from ?? null, options.to ?? null, options.limit ?? REVIEW_LIMIT],
    );
    return rows.map(toEntry);
  }

  /** Requests cut off between intent and final record (outcome `UNFINISHED`), oldest first. */
  async unfinished(options: ReviewOfOptions = {}): Promise<AuditEntry[]> {
    const { rows } = await this.db.query<AuditRow>(
      `SELECT ${SELECT_COLUMNS} FROM "${this.table}" r
       WHERE outcome = 'INTENT' AND ${ONE_PER_REQUEST(this.table)}
         AND ($1::timestamptz IS NULL OR at >= $1::timestamptz) AND ($2::timestamptz IS NULL OR at < $2::timestamptz)
       ORDER BY id LIMIT $3`,
      [options.from ?? null, options.to ?? null, options.limit ?? REVIEW_LIMIT],
    );
    return rows.map(toEntry);
  }

  private async lock(tx: Queryable): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [this.lockKey]);
  }

  /**
   * The newest committed record's id and hash (with `upTo`: the newest at or before that id),
   * or undefined if there is none: what a checkpoint signs (audit/auditCheckpoints.ts) and
   * what verify compares a checkpoint with. Reads only.
   */
  async chainHead(upTo?: number): Promise<{ id: number; hash: string } | undefined> {
    // Two statements rather than `$1 IS NULL OR id <= $1`, so each walks the primary key from its bound.
    const { rows } =
      upTo === undefined
        ? await this.db.query<{ id: string; hash: string }>(`SELECT id, hash FROM "${this.table}" ORDER BY id DESC LIMIT 1`)
        : await this.db.query<{ id: string; hash: string }>(`SELECT id, hash FROM "${this.table}" WHERE id <= $1 ORDER BY id DESC LIMIT 1`, [upTo]);
    const row = rows[0];
    return row ? { id: Number(row.id), hash: row.hash } : undefined;
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

/** The inserted columns, in order, with their types (parameters in a VALUES list need them). */
const INSERT_COLUMNS = [
  ['id', 'bigint'],
  ['at', 'timestamptz'],
  ['request_id', 'text'],
  ['caller_kind', 'text'],
  ['court', 'text'],
  ['officer', 'text'],
  ['citizen_id', 'text'],
  ['case_number', 'text'],
  ['subjects', 'text[]'],
  ['operation_name', 'text'],
  ['operation_hash', 'text'],
  ['fields', 'text[]'],
  ['agencies', 'text[]'],
  ['outcome', 'text'],
  ['error_codes', 'text[]'],
  ['latency_ms', 'integer'],
  ['prev_hash', 'text'],
  ['hash', 'text'],
] as const;

/** The append-only guard: statement triggers, so that even a statement touching no row is refused. */
const GUARDS = [
  [(table: string) => `${table}_no_update_delete`, 'BEFORE UPDATE OR DELETE'],
  [(table: string) => `${table}_no_truncate`, 'BEFORE TRUNCATE'],
] as const;


function createStatements(table: string): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS "${table}" (
      id bigint PRIMARY KEY CHECK (id > 0),
      at timestamptz NOT NULL,
      request_id text NOT NULL,
      caller_kind text NOT NULL CHECK (caller_kind IN ${CALLER_KINDS_SQL}),
      court text,
      officer text,
      citizen_id text,
      case_number text,
      subjects text[] NOT NULL,
      operation_name text,
      operation_hash text NOT NULL,
      fields text[] NOT NULL,
      agencies text[] NOT NULL,
      outcome text NOT NULL CHECK (outcome IN ${OUTCOMES_SQL}),
      error_codes text[] NOT NULL,
      latency_ms integer NOT NULL,
      prev_hash text NOT NULL UNIQUE,
      hash text NOT NULL UNIQUE
    )`,
    `CREATE INDEX IF NOT EXISTS "${table}_subjects" ON "${table}" USING gin (subjects)`,
    `CREATE INDEX IF NOT EXISTS "${table}_court_at" ON "${table}" (court, at)`,
    `CREATE INDEX IF NOT EXISTS "${table}_case_number" ON "${table}" (case_number)`,
    // The readers pair an intent with its request's final record by request id.
    `CREATE INDEX IF NOT EXISTS "${table}_request_id" ON "${table}" (request_id)`,
    `CREATE OR REPLACE FUNCTION "${table}_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       RAISE EXCEPTION 'audit log % is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
     END
     $$`,
  ];
}

/**
 * Lets a table made before intents existed take them: its outcome CHECK is replaced by one
 * that admits `INTENT`. No row is touched (the append-only guard is on UPDATE, DELETE and
 * TRUNCATE, not on ALTER); `NOT VALID`, because every stored row passed the narrower check
 * already, so nothing needs the table scan (and its lock on inserts) a validation would take.
 */
async function admitIntents(tx: Queryable, table: string): Promise<void> {
  const { rows } = await tx.query<{ name: string; def: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
     WHERE conrelid = $1::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%outcome%'`,
    [`"${table}"`],
  );
  if (rows.some((c) => c.def.includes("'INTENT'"))) return;
  const drop = rows.map((c) => `DROP CONSTRAINT "${c.name}", `).join('');
  await tx.query(`ALTER TABLE "${table}" ${drop}ADD CONSTRAINT "${table}_outcome_check" CHECK (outcome IN ${OUTCOMES_SQL}) NOT VALID`);
}

/** `to_char` gives microseconds; a record stored to the millisecond reads back as it was written. */
function storedAt(at: string): string {
  return at.replace(/^(.*\.\d{3})000Z$/, '$1Z');
}

function toRecord(row: AuditRow): AuditRecord {
  return {
    at: storedAt(row.at),
    requestId: row.request_id,
    caller: { kind: row.caller_kind as AuditCallerKind, court: row.court, officer: row.officer, idNumber: row.citizen_id },
    caseNumber: row.case_number,
    subjects: row.subjects,
    operationName: row.operation_name,
    operationHash: row.operation_hash,
    fields: row.fields,
    agencies: row.agencies,
    outcome: row.outcome as AuditOutcome,
    errorCodes: row.error_codes,
    latencyMs: row.latency_ms,
  };
}

function toEntry(row: AuditRow): AuditEntry {
  const record = toRecord(row);
  return { id: Number(row.id), hash: row.hash, prevHash: row.prev_hash, ...record, outcome: record.outcome === 'INTENT' ? 'UNFINISHED' : record.outcome };
}
