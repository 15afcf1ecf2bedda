/**
 * The measure book's tables: their creation, the columns read back and how a row reads as a
 * `Measure` or `Deduction`, the per-asset lock every change holds, and the reads and the event
 * record every act shares. The acts (measureBook.ts), the waiting list (waitingList.ts) and
 * the deductions (deductions.ts) all stand on this, so the SQL shape of a row is written once.
 */
import { advisoryLockKey } from '../../../lib/db/advisoryLockKey';
import type { Database, Queryable } from '../../../lib/db/openDatabase';
import {
  ASSET_KINDS,
  type AssetKind,
  type Deduction,
  type Measure,
  MeasureError,
  type MeasureEventKind,
  type MeasureKind,
  MEASURE_EVENT_KINDS,
  MEASURE_KINDS,
  MEASURE_STATUSES,
  type MeasureStatus,
  type PriorMeasure,
} from './measureTypes';

/** A refusal decided inside a transaction is returned, not thrown, so what was settled commits. */
export type Outcome<T> = { ok: T } | { refused: MeasureError };

export function unwrap<T>(outcome: Outcome<T>): T {
  if ('refused' in outcome) throw outcome.refused;
  return outcome.ok;
}

/** One book's tables in one database, read on the agency's clock. */
export class MeasureStore {
  /** Checks the table name only; `install` touches the database. */
  constructor(
    readonly db: Database,
    readonly table: string,
    readonly clock: () => Date,
  ) {
    if (!/^[a-z_][a-z0-9_]{0,39}$/.test(table)) {
      throw new Error(`Measure table name "${table}" is not allowed: use lowercase letters, digits and _, at most 40 characters.`);
    }
  }

  /** Creates the tables and their indexes if missing. */
  async install(): Promise<void> {
    // Instances starting together would race on CREATE … IF NOT EXISTS: the lock serialises them.
    await this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [lockKey(this.table, '')]);
      for (const statement of createStatements(this.table)) await tx.query(statement);
    });
  }

  /** Runs `fn` in a transaction holding the asset's lock, with the clock read once. */
  async onAsset<T>(assetKey: string, fn: (tx: Queryable, now: Date) => Promise<Outcome<T>>): Promise<T> {
    const outcome = await this.db.transaction(async (tx) => {
      // A fresh snapshot per statement: reads after the lock see what the previous holder committed.
      await tx.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
      await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [lockKey(this.table, assetKey)]);
      return fn(tx, this.clock());
    });
    return unwrap(outcome);
  }

  /** Adds an event to the measure's history. */
  async record(tx: Queryable, measureId: string, kind: MeasureEventKind, at: Date, note: string | null): Promise<void> {
    await tx.query(`INSERT INTO "${this.table}_events" (measure_id, kind, at, note) VALUES ($1, $2, $3, $4)`, [measureId, kind, at, note]);
  }

  async byRequestId(q: Queryable, requestId: string): Promise<Measure | undefined> {
    const { rows } = await q.query<Row>(`SELECT ${COLUMNS} FROM "${this.table}" WHERE request_id = $1`, [requestId]);
    return rows[0] && toMeasure(rows[0]);
  }

  /** Any text a court sends as an id that names no measure is MEASURE_NOT_FOUND. */
  async byId(q: Queryable, measureId: string): Promise<Measure> {
    const { rows } = /^[0-9]{1,18}$/.test(measureId)
      ? await q.query<Row>(`SELECT ${COLUMNS} FROM "${this.table}" WHERE id = $1`, [measureId])
      : { rows: [] };
    if (!rows[0]) throw new MeasureError('MEASURE_NOT_FOUND', `There is no measure ${measureId}.`, { measureId });
    return toMeasure(rows[0]);
  }
}

/** A stored measure as the database returns it (COLUMNS). */
export interface Row {
  id: string;
  request_id: string;
  asset_kind: AssetKind;
  asset_key: string;
  case_number: string;
  court_code: string;
  document_number: string;
  kind: MeasureKind;
  amount_fen: string | null;
  party_key: string | null;
  status: MeasureStatus;
  queue_position: number | null;
  served_at: string;
  due_at: string | null;
  term_days: number;
  term_start: string | null;
  term_end: string | null;
  ended_at: string | null;
  renewals: number;
  return_reason: string | null;
  controlled_fen: string | null;
  deducted_fen: string;
  prior: string;
}

export const iso = (column: string, as = column) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${as}`;
export const COLUMNS = `id::text AS id, request_id, asset_kind, asset_key, case_number, court_code, document_number, kind,
  amount_fen::text AS amount_fen, party_key, status, queue_position, ${iso('served_at')}, ${iso('due_at')}, term_days, ${iso('term_start')},
  ${iso('term_end')}, ${iso('ended_at')}, renewals, return_reason, controlled_fen::text AS controlled_fen,
  deducted_fen::text AS deducted_fen, prior`;

const sqlList = (values: readonly string[]) => `(${values.map((v) => `'${v}'`).join(', ')})`;
const fen = (value: string | null) => (value === null ? null : Number(value));

export function toMeasure(row: Row): Measure {
  return {
    id: row.id,
    requestId: row.request_id,
    assetKind: row.asset_kind,
    assetKey: row.asset_key,
    caseNumber: row.case_number,
    courtCode: row.court_code,
    documentNumber: row.document_number,
    kind: row.kind,
    amountFen: fen(row.amount_fen),
    partyKey: row.party_key,
    status: row.status,
    queuePosition: row.queue_position,
    servedAt: row.served_at,
    dueAt: row.due_at,
    termDays: row.term_days,
    termStart: row.term_start,
    termEnd: row.term_end,
    endedAt: row.ended_at,
    renewals: row.renewals,
    returnReason: row.return_reason,
    amountControlledFen: fen(row.controlled_fen),
    amountDeductedFen: Number(row.deducted_fen),
    prior: JSON.parse(row.prior) as PriorMeasure[],
  };
}

/** A stored deduction as the database returns it (DEDUCTION_COLUMNS). */
export interface DeductionRow {
  id: string;
  request_id: string;
  measure_id: string;
  case_number: string;
  court_code: string;
  asset_key: string;
  amount_fen: string;
  at: string;
  transferred_at: string | null;
}

export const DEDUCTION_COLUMNS = `id::text AS id, request_id, measure_id::text AS measure_id, case_number, court_code, asset_key,
  amount_fen::text AS amount_fen, ${iso('at')}, ${iso('transferred_at')}`;

export function toDeduction(row: DeductionRow): Deduction {
  return {
    id: row.id,
    requestId: row.request_id,
    measureId: row.measure_id,
    caseNumber: row.case_number,
    courtCode: row.court_code,
    assetKey: row.asset_key,
    amountFen: Number(row.amount_fen),
    at: row.at,
    transferredAt: row.transferred_at,
  };
}

/** The lock of one asset of one table ('' for the table itself). */
function lockKey(table: string, assetKey: string): string {
  return advisoryLockKey('measure-book', table, assetKey);
}

function createStatements(table: string): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS "${table}" (
      id bigserial PRIMARY KEY,
      request_id text NOT NULL UNIQUE,
      asset_kind text NOT NULL CHECK (asset_kind IN ${sqlList(ASSET_KINDS)}),
      asset_key text NOT NULL,
      case_number text NOT NULL,
      court_code text NOT NULL,
      document_number text NOT NULL CHECK (document_number <> ''),
      kind text NOT NULL CHECK (kind IN ${sqlList(MEASURE_KINDS)}),
      amount_fen bigint CHECK (amount_fen > 0),
      party_key text,
      status text NOT NULL CHECK (status IN ${sqlList(MEASURE_STATUSES)}),
      queue_position int CHECK (queue_position > 0),
      served_at timestamptz NOT NULL,
      due_at timestamptz,
      term_days int NOT NULL CHECK (term_days > 0),
      term_start timestamptz,
      term_end timestamptz,
      ended_at timestamptz,
      renewals int NOT NULL DEFAULT 0,
      return_reason text,
      controlled_fen bigint CHECK (controlled_fen >= 0),
      deducted_fen bigint NOT NULL DEFAULT 0 CHECK (deducted_fen >= 0),
      prior text NOT NULL DEFAULT '[]',
      CHECK ((status = 'WAITING') = (queue_position IS NOT NULL)),
      CHECK ((status = 'SUBMITTED') = (due_at IS NOT NULL)),
      CHECK ((term_start IS NULL) = (term_end IS NULL)),
      CHECK (status NOT IN ('ACTIVE', 'DISPOSED') OR term_start IS NOT NULL),
      CHECK (status NOT IN ('SUBMITTED', 'WAITING', 'RETURNED') OR term_start IS NULL),
      CHECK ((status = 'RETURNED') = (return_reason IS NOT NULL)),
      CHECK (deducted_fen <= coalesce(controlled_fen, 0))
    )`,
    // Books made before measures named their debtor gain the column; their old rows stay null.
    `ALTER TABLE "${table}" ADD COLUMN IF NOT EXISTS party_key text`,
    `CREATE UNIQUE INDEX IF NOT EXISTS "${table}_one_active" ON "${table}" (asset_key) WHERE status = 'ACTIVE'`,
    `CREATE INDEX IF NOT EXISTS "${table}_asset" ON "${table}" (asset_key, status)`,
    `CREATE INDEX IF NOT EXISTS "${table}_case" ON "${table}" (case_number)`,
    `CREATE INDEX IF NOT EXISTS "${table}_due" ON "${table}" (due_at) WHERE status = 'SUBMITTED'`,
    `CREATE TABLE IF NOT EXISTS "${table}_events" (
      id bigserial PRIMARY KEY,
      measure_id bigint NOT NULL REFERENCES "${table}" (id),
      kind text NOT NULL CHECK (kind IN ${sqlList(MEASURE_EVENT_KINDS)}),
      at timestamptz NOT NULL,
      note text
    )`,
    `CREATE INDEX IF NOT EXISTS "${table}_events_measure" ON "${table}_events" (measure_id)`,
    `CREATE TABLE IF NOT EXISTS "${table}_deductions" (
      id bigserial PRIMARY KEY,
      request_id text NOT NULL UNIQUE,
      measure_id bigint NOT NULL REFERENCES "${table}" (id),
      case_number text NOT NULL,
      court_code text NOT NULL,
      asset_key text NOT NULL,
      amount_fen bigint NOT NULL CHECK (amount_fen > 0),
      at timestamptz NOT NULL,
      transferred_at timestamptz
    )`,
    `CREATE INDEX IF NOT EXISTS "${table}_deductions_measure" ON "${table}_deductions" (measure_id)`,
  ];
}
