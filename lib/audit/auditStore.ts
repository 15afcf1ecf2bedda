import { advisoryLockKey } from '../db/advisoryLockKey';
import type { Database, Queryable } from '../db/openDatabase';
import { type AuditCallerKind, type AuditOutcome, type AuditRecord, AUDIT_OUTCOMES } from './auditRecord';
import type { SearchPurpose } from './searchPurpose';

export const DEFAULT_TABLE = 'audit_log';

/**
 * The audit log's table: its columns, how a row reads back as a record, and its creation
 * with the append-only guard. The writer (auditWriter.ts), the reader (auditReader.ts) and the
 * chain's check (auditChain.ts) all stand on this.
 *
 * The trigger refuses UPDATE, DELETE and TRUNCATE; in production also grant the gateway's
 * role only SELECT and INSERT, so that it cannot disable the trigger.
 */
export class AuditStore {
  /** The transaction-scoped advisory lock every write to this table holds (one chain). */
  readonly lockKey: string;
  /**
   * Whether the table has the `purpose` column: always once `install` created or upgraded it;
   * a read-only tool (`create: false`) on a table made before purposes reads every purpose as null.
   */
  private purposeColumn = true;

  get hasPurposeColumn(): boolean {
    return this.purposeColumn;
  }

  /** Checks the table name only; `install` touches the database. */
  constructor(
    readonly db: Database,
    readonly table: string = DEFAULT_TABLE,
  ) {
    if (!/^[a-z_][a-z0-9_]{0,47}$/.test(table)) {
      throw new Error(`Audit table name "${table}" is not allowed: use lowercase letters, digits and _, at most 48 characters.`);
    }
    this.lockKey = advisoryLockKey('audit-log', table);
  }

  /**
   * Creates the table, its indexes and its append-only guard if any is missing, and lets an
   * older table take intents and purposes. With `create: false` (read-only tools) the table must exist and
   * is read as it is. Either way an installed, current log is not changed.
   */
  async install(options: { create: boolean }): Promise<void> {
    const { db, table } = this;
    // Installed already (and up to date): change nothing, so a replica whose role may only SELECT and INSERT starts.
    const { rows } = await db.query<{ found: string | null; guards: number; intents: number; byRequest: string | null; purpose: number }>(
      `SELECT to_regclass($1)::text AS found,
              (SELECT count(*)::int FROM pg_trigger WHERE tgrelid = to_regclass($1) AND tgname = ANY($2::text[])) AS guards,
              (SELECT count(*)::int FROM pg_constraint WHERE conrelid = to_regclass($1) AND contype = 'c'
                 AND pg_get_constraintdef(oid) LIKE '%outcome%' AND pg_get_constraintdef(oid) LIKE '%''INTENT''%') AS intents,
              to_regclass($3)::text AS "byRequest",
              (SELECT count(*)::int FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname = 'purpose' AND NOT attisdropped) AS purpose`,
      [`"${table}"`, GUARDS.map(([name]) => name(table)), `"${table}_request_id"`],
    );
    const found = rows[0]?.found != null;
    const hasPurpose = rows[0]?.purpose === 1;
    const current = rows[0]?.guards === GUARDS.length && rows[0]?.intents === 1 && rows[0]?.byRequest != null && hasPurpose;
    // A read-only tool reads an older table as it is (its readers work without the new index, and without purposes).
    if (found && (current || !options.create)) {
      this.purposeColumn = hasPurpose;
      return;
    }
    if (!options.create) throw new Error(`There is no audit table "${table}" in this database.`);
    // Replicas starting together would race on CREATE … IF NOT EXISTS: the lock serialises them.
    await db.transaction(async (tx) => {
      await this.lock(tx);
      for (const statement of createStatements(table)) await tx.query(statement);
      for (const [name, timing] of GUARDS) {
        const { rows: present } = await tx.query('SELECT 1 FROM pg_trigger WHERE tgrelid = $1::regclass AND tgname = $2', [`"${table}"`, name(table)]);
        if (present.length === 0) {
          await tx.query(`CREATE TRIGGER "${name(table)}" ${timing} ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION "${table}_append_only"()`);
        }
      }
      await admitIntents(tx, table);
    });
    this.purposeColumn = true;
  }

  /**
   * The columns a reader selects, as AuditRow names them. `at` as text to the microsecond in
   * UTC, so that verify sees exactly what is stored rather than a Date rounded to the
   * millisecond; `purpose` null on a table made before purposes (read-only tools only).
   */
  get selectColumns(): string {
    return `${SELECT_COLUMNS}, ${this.purposeColumn ? 'purpose' : 'NULL::text AS purpose'}`;
  }

  /** Takes the table's advisory lock for the rest of the transaction. */
  async lock(tx: Queryable): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [this.lockKey]);
  }
}

/** A stored record as the database returns it (`AuditStore.selectColumns`). */
export interface AuditRow {
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
  purpose: string | null;
}

/** Every column of AuditRow but `purpose` (see `AuditStore.selectColumns`). */
const SELECT_COLUMNS = `id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, request_id,
  caller_kind, court, officer, citizen_id, case_number, subjects, operation_name, operation_hash,
  fields, agencies, outcome, error_codes, latency_ms, prev_hash, hash`;

/** The inserted columns, in order, with their types (parameters in a VALUES list need them). */
export const INSERT_COLUMNS = [
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
  ['purpose', 'text'],
] as const;

const CALLER_KINDS_SQL = "('court', 'supervisor-as-court', 'citizen', 'anonymous')";
const OUTCOMES_SQL = `(${AUDIT_OUTCOMES.map((o) => `'${o}'`).join(', ')})`;

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
      hash text NOT NULL UNIQUE,
      purpose text
    )`,
    // A table made before purposes gets the column last, where a new table has it; no row
    // changes (a nullable column without default is added in the catalog only). No CHECK: the
    // record is validated before it is written and its hash covers the value, and a new
    // purpose then needs no migration.
    `ALTER TABLE "${table}" ADD COLUMN IF NOT EXISTS purpose text`,
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

/** A stored row as the record it was written from (what its hash covers). */
export function toRecord(row: AuditRow): AuditRecord {
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
    purpose: row.purpose as SearchPurpose | null,
  };
}
