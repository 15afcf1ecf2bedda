import { createHash } from 'node:crypto';
import type { Database, Queryable } from '../../../lib/db/openDatabase';
import { checkRequest, checkTerm, termEnd } from './measureRules';
import {
  ASSET_KINDS,
  type AssetKind,
  type Measure,
  type MeasureChange,
  MeasureError,
  type MeasureKind,
  type MeasureRequest,
  MEASURE_KINDS,
  MEASURE_STATUSES,
  type MeasureStatus,
} from './measureTypes';

export interface MeasureBookOptions {
  /** Table name: lowercase letters, digits, `_`; at most 48 characters. @default 'measure_book' */
  table?: string;
  /** The agency's clock; tests inject one they can move. */
  clock: () => Date;
}

/** The result of a disposal: the measure that was ACTIVE, and the waiting ones that lapsed. */
export interface Disposal {
  disposed: Measure;
  lapsed: Measure[];
}

interface Row {
  id: string;
  request_id: string;
  asset_kind: AssetKind;
  asset_key: string;
  case_number: string;
  court_code: string;
  document_number: string;
  kind: MeasureKind;
  amount_fen: string | null;
  status: MeasureStatus;
  queue_position: number | null;
  served_at: string;
  term_days: number;
  term_start: string | null;
  term_end: string | null;
  ended_at: string | null;
  renewals: number;
}

const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${column}`;
const COLUMNS = `id::text AS id, request_id, asset_kind, asset_key, case_number, court_code, document_number, kind,
  amount_fen::text AS amount_fen, status, queue_position, ${iso('served_at')}, term_days, ${iso('term_start')},
  ${iso('term_end')}, ${iso('ended_at')}, renewals`;

const sqlList = (values: readonly string[]) => `(${values.map((v) => `'${v}'`).join(', ')})`;

function toMeasure(row: Row): Measure {
  return {
    id: row.id,
    requestId: row.request_id,
    assetKind: row.asset_kind,
    assetKey: row.asset_key,
    caseNumber: row.case_number,
    courtCode: row.court_code,
    documentNumber: row.document_number,
    kind: row.kind,
    amountFen: row.amount_fen === null ? null : Number(row.amount_fen),
    status: row.status,
    queuePosition: row.queue_position,
    servedAt: row.served_at,
    termDays: row.term_days,
    termStart: row.term_start,
    termEnd: row.term_end,
    endedAt: row.ended_at,
    renewals: row.renewals,
  };
}

/** A refusal decided inside a transaction is returned, not thrown, so what was settled commits. */
type Outcome<T> = { ok: T } | { refused: MeasureError };

function unwrap<T>(outcome: Outcome<T>): T {
  if ('refused' in outcome) throw outcome.refused;
  return outcome.ok;
}

/**
 * The measure book an agency keeps for the assets it holds: which court's freeze, seal or
 * seizure controls each asset, the waiting list (轮候) behind it, and every measure's term.
 *
 * Every change to an asset runs in one transaction holding a transaction-scoped advisory
 * lock for that asset, so book instances in one process or in replicas sharing PostgreSQL
 * change an asset one at a time. Before acting, a change first settles the asset: an ACTIVE
 * measure past its term lapses and the head of the queue is promoted (as `expire()` does).
 *
 * Terms: a measure promoted on release starts its term at the release; one promoted on
 * expiry starts it at the moment the previous term ended (the law makes it effective then).
 * A renewal starts a fresh term at the moment of renewal (so control never reaches further
 * ahead than the kind's limit) and may not end before the current term does.
 */
export class MeasureBook {
  private constructor(
    private readonly db: Database,
    readonly table: string,
    private readonly clock: () => Date,
  ) {}

  /** Creates the table and its indexes if missing. */
  static async open(db: Database, options: MeasureBookOptions): Promise<MeasureBook> {
    const table = options.table ?? 'measure_book';
    if (!/^[a-z_][a-z0-9_]{0,47}$/.test(table)) {
      throw new Error(`Measure table name "${table}" is not allowed: use lowercase letters, digits and _, at most 48 characters.`);
    }
    const book = new MeasureBook(db, table, options.clock);
    // Instances starting together would race on CREATE … IF NOT EXISTS: the lock serialises them.
    await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [lockKey(table, '')]);
      for (const statement of createStatements(table)) await tx.query(statement);
    });
    return book;
  }

  /**
   * Records a measure: ACTIVE with its term from now if nothing controls the asset, else
   * WAITING at the end of the queue. The same `requestId` again returns the measure it made
   * (refused with `REQUEST_ID_REUSED` if the request differs).
   */
  async request(input: MeasureRequest): Promise<Measure> {
    checkRequest(input);
    const existing = await this.byRequestId(this.db, input.requestId);
    if (existing) return sameRequest(existing, input);
    let made: Measure;
    try {
      made = await this.onAsset<Measure>(input.assetKey, async (tx, now) => {
        const again = await this.byRequestId(tx, input.requestId);
        if (again) return { ok: again };
        await this.settle(tx, input.assetKey, now);
        const { rows } = await tx.query<{ active: number; last: number | null }>(
          `SELECT count(*) FILTER (WHERE status = 'ACTIVE')::int AS active, max(queue_position) AS last
             FROM "${this.table}" WHERE asset_key = $1 AND status IN ('ACTIVE', 'WAITING')`,
          [input.assetKey],
        );
        const active = (rows[0]?.active ?? 0) > 0;
        const inserted = await tx.query<Row>(
          `INSERT INTO "${this.table}" (request_id, asset_kind, asset_key, case_number, court_code, document_number, kind,
             amount_fen, status, queue_position, served_at, term_days, term_start, term_end)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING ${COLUMNS}`,
          [
            input.requestId,
            input.assetKind,
            input.assetKey,
            input.caseNumber,
            input.courtCode,
            input.documentNumber,
            input.kind,
            input.amountFen ?? null,
            active ? 'WAITING' : 'ACTIVE',
            active ? (rows[0]?.last ?? 0) + 1 : null,
            now,
            input.termDays,
            active ? null : now,
            active ? null : termEnd(now, input.termDays),
          ],
        );
        return { ok: toMeasure(inserted.rows[0]!) };
      });
    } catch (error) {
      // The same request id on another asset key committed first: the unique constraint held.
      if ((error as { code?: string }).code !== '23505') throw error;
      const winner = await this.byRequestId(this.db, input.requestId);
      if (!winner) throw error;
      made = winner;
    }
    return sameRequest(made, input);
  }

  /** ACTIVE -> RELEASED; the head of the queue becomes ACTIVE with its term from now. */
  async release(measureId: string): Promise<MeasureChange> {
    const found = await this.byId(this.db, measureId);
    return this.onAsset<MeasureChange>(found.assetKey, async (tx, now) => {
      await this.settle(tx, found.assetKey, now);
      const current = await this.byId(tx, measureId);
      if (current.status !== 'ACTIVE') return { refused: notActive(current, 'released') };
      const { rows } = await tx.query<Row>(
        `UPDATE "${this.table}" SET status = 'RELEASED', ended_at = $2 WHERE id = $1 RETURNING ${COLUMNS}`,
        [measureId, now],
      );
      const promoted = await this.promoteHead(tx, found.assetKey, now);
      return { ok: { measure: toMeasure(rows[0]!), promoted } };
    });
  }

  /** A fresh term of `termDays` from now, within the kind's limit, while ACTIVE and in term. */
  async renew(measureId: string, termDays: number): Promise<Measure> {
    const found = await this.byId(this.db, measureId);
    checkTerm(found.assetKind, termDays);
    return this.onAsset<Measure>(found.assetKey, async (tx, now) => {
      const current = await this.byId(tx, measureId);
      if (current.status === 'ACTIVE' && Date.parse(current.termEnd!) <= now.getTime()) {
        await this.settle(tx, found.assetKey, now);
        return {
          refused: new MeasureError('TERM_EXPIRED', `Measure ${measureId} ended its term at ${current.termEnd}; it can no longer be renewed.`, {
            termEnd: current.termEnd,
          }),
        };
      }
      if (current.status !== 'ACTIVE') return { refused: notActive(current, 'renewed') };
      const end = termEnd(now, termDays);
      if (end.getTime() < Date.parse(current.termEnd!)) {
        return {
          refused: new MeasureError('INVALID_INPUT', `A renewal of ${termDays} days from now would end before the current term (${current.termEnd}).`, {
            field: 'termDays',
            termEnd: current.termEnd,
          }),
        };
      }
      const { rows } = await tx.query<Row>(
        `UPDATE "${this.table}" SET term_days = $2, term_start = $3, term_end = $4, renewals = renewals + 1
           WHERE id = $1 RETURNING ${COLUMNS}`,
        [measureId, termDays, now, end],
      );
      return { ok: toMeasure(rows[0]!) };
    });
  }

  /** Lapses every ACTIVE measure whose term has ended and promotes each queue head, once. */
  async expire(): Promise<MeasureChange[]> {
    const { rows } = await this.db.query<{ asset_key: string }>(
      `SELECT DISTINCT asset_key FROM "${this.table}" WHERE status = 'ACTIVE' AND term_end <= $1 ORDER BY asset_key`,
      [this.clock()],
    );
    const changes: MeasureChange[] = [];
    for (const { asset_key: assetKey } of rows) {
      changes.push(...(await this.onAsset(assetKey, async (tx, now) => ({ ok: await this.settle(tx, assetKey, now) }))));
    }
    return changes;
  }

  /** The asset is wholly disposed of: the ACTIVE measure -> DISPOSED, every WAITING one -> LAPSED. */
  async dispose(assetKey: string): Promise<Disposal> {
    return this.onAsset<Disposal>(assetKey, async (tx, now) => {
      await this.settle(tx, assetKey, now);
      const { rows: disposed } = await tx.query<Row>(
        `UPDATE "${this.table}" SET status = 'DISPOSED', ended_at = $2 WHERE asset_key = $1 AND status = 'ACTIVE' RETURNING ${COLUMNS}`,
        [assetKey, now],
      );
      if (disposed.length === 0) {
        return { refused: new MeasureError('NOTHING_ACTIVE', `No measure controls asset ${assetKey}; there is nothing to dispose of.`, { assetKey }) };
      }
      const { rows: lapsed } = await tx.query<Row>(
        `UPDATE "${this.table}" SET status = 'LAPSED', queue_position = NULL, ended_at = $2
           WHERE asset_key = $1 AND status = 'WAITING' RETURNING ${COLUMNS}`,
        [assetKey, now],
      );
      return { ok: { disposed: toMeasure(disposed[0]!), lapsed: lapsed.map(toMeasure).sort((a, b) => Number(a.id) - Number(b.id)) } };
    });
  }

  /** Every court's measures on one asset, in order of service. */
  async measuresOf(assetKey: string): Promise<Measure[]> {
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM "${this.table}" WHERE asset_key = $1 ORDER BY "${this.table}".id`, [assetKey]);
    return rows.map(toMeasure);
  }

  /** Every measure of one case, on any asset, in order of service. */
  async measuresOfCase(caseNumber: string): Promise<Measure[]> {
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM "${this.table}" WHERE case_number = $1 ORDER BY "${this.table}".id`, [caseNumber]);
    return rows.map(toMeasure);
  }

  /** Runs `fn` in a transaction holding the asset's lock, with the clock read once. */
  private async onAsset<T>(assetKey: string, fn: (tx: Queryable, now: Date) => Promise<Outcome<T>>): Promise<T> {
    const outcome = await this.db.transaction(async (tx) => {
      // A fresh snapshot per statement: reads after the lock see what the previous holder committed.
      await tx.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
      await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [lockKey(this.table, assetKey)]);
      return fn(tx, this.clock());
    });
    return unwrap(outcome);
  }

  /** Lapses the asset's ACTIVE measure while its term has ended, promoting the head each time. */
  private async settle(tx: Queryable, assetKey: string, now: Date): Promise<MeasureChange[]> {
    const changes: MeasureChange[] = [];
    for (;;) {
      const { rows } = await tx.query<Row>(
        `UPDATE "${this.table}" SET status = 'LAPSED', ended_at = term_end
           WHERE asset_key = $1 AND status = 'ACTIVE' AND term_end <= $2 RETURNING ${COLUMNS}`,
        [assetKey, now],
      );
      const lapsed = rows[0];
      if (!lapsed) return changes;
      const promoted = await this.promoteHead(tx, assetKey, new Date(lapsed.term_end!));
      changes.push({ measure: toMeasure(lapsed), promoted });
    }
  }

  /** The head of the asset's queue becomes ACTIVE with its term from `start`; the rest move up. */
  private async promoteHead(tx: Queryable, assetKey: string, start: Date): Promise<Measure | null> {
    const { rows } = await tx.query<Row>(
      `SELECT ${COLUMNS} FROM "${this.table}" WHERE asset_key = $1 AND status = 'WAITING' ORDER BY queue_position LIMIT 1`,
      [assetKey],
    );
    const head = rows[0];
    if (!head) return null;
    const promoted = await tx.query<Row>(
      `UPDATE "${this.table}" SET status = 'ACTIVE', queue_position = NULL, term_start = $2, term_end = $3
         WHERE id = $1 RETURNING ${COLUMNS}`,
      [head.id, start, termEnd(start, head.term_days)],
    );
    await tx.query(
      `UPDATE "${this.table}" SET queue_position = queue_position - 1 WHERE asset_key = $1 AND status = 'WAITING'`,
      [assetKey],
    );
    return toMeasure(promoted.rows[0]!);
  }

  private async byRequestId(q: Queryable, requestId: string): Promise<Measure | undefined> {
    const { rows } = await q.query<Row>(`SELECT ${COLUMNS} FROM "${this.table}" WHERE request_id = $1`, [requestId]);
    return rows[0] && toMeasure(rows[0]);
  }

  private async byId(q: Queryable, measureId: string): Promise<Measure> {
    const { rows } = /^[0-9]{1,18}$/.test(measureId)
      ? await q.query<Row>(`SELECT ${COLUMNS} FROM "${this.table}" WHERE id = $1`, [measureId])
      : { rows: [] };
    if (!rows[0]) throw new MeasureError('MEASURE_NOT_FOUND', `There is no measure ${measureId}.`, { measureId });
    return toMeasure(rows[0]);
  }
}

/** The stored measure for a repeated request id, if the request is the same one. */
function sameRequest(stored: Measure, input: MeasureRequest): Measure {
  const same =
    stored.assetKind === input.assetKind &&
    stored.assetKey === input.assetKey &&
    stored.caseNumber === input.caseNumber &&
    stored.courtCode === input.courtCode &&
    stored.documentNumber === input.documentNumber &&
    stored.kind === input.kind &&
    stored.amountFen === (input.amountFen ?? null);
  if (!same) {
    throw new MeasureError('REQUEST_ID_REUSED', `Request id ${input.requestId} was already used for a different request (measure ${stored.id}).`, {
      measureId: stored.id,
    });
  }
  return stored;
}

function notActive(measure: Measure, act: string): MeasureError {
  return new MeasureError('NOT_ACTIVE', `Measure ${measure.id} is ${measure.status}; only an ACTIVE measure can be ${act}.`, {
    measureId: measure.id,
    status: measure.status,
  });
}

/** A signed 64-bit advisory lock key for one asset of one table ('' for the table itself). */
function lockKey(table: string, assetKey: string): string {
  const digest = createHash('sha256').update(`court-asset-graph/measure-book/${table}/${assetKey}`).digest();
  return digest.readBigInt64BE(0).toString();
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
      status text NOT NULL CHECK (status IN ${sqlList(MEASURE_STATUSES)}),
      queue_position int CHECK (queue_position > 0),
      served_at timestamptz NOT NULL,
      term_days int NOT NULL CHECK (term_days > 0),
      term_start timestamptz,
      term_end timestamptz,
      ended_at timestamptz,
      renewals int NOT NULL DEFAULT 0,
      CHECK ((status = 'WAITING') = (queue_position IS NOT NULL)),
      CHECK ((term_start IS NULL) = (term_end IS NULL)),
      CHECK (status <> 'WAITING' OR term_start IS NULL),
      -- A waiting measure lapsed by disposal never had a term; every other one has.
      CHECK (status IN ('WAITING', 'LAPSED') OR term_start IS NOT NULL)
    )`,
    `CREATE UNIQUE INDEX IF NOT EXISTS "${table}_one_active" ON "${table}" (asset_key) WHERE status = 'ACTIVE'`,
    `CREATE INDEX IF NOT EXISTS "${table}_asset" ON "${table}" (asset_key, status)`,
    `CREATE INDEX IF NOT EXISTS "${table}_case" ON "${table}" (case_number)`,
  ];
}
