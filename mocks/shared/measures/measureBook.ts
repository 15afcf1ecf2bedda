import { advisoryLockKey } from '../../../lib/db/advisoryLockKey';
import type { Database, Queryable } from '../../../lib/db/openDatabase';
import { checkRequest, checkTerm, termEnd } from './measureRules';
import {
  type Assessment,
  ASSET_KINDS,
  type AssetKind,
  type Deduction,
  type DeductionRequest,
  type DeductionResult,
  type Measure,
  type MeasureChange,
  MeasureError,
  type MeasureEvent,
  type MeasureEventKind,
  type MeasureKind,
  type MeasureRequest,
  MEASURE_EVENT_KINDS,
  MEASURE_KINDS,
  MEASURE_STATUSES,
  type MeasureStatus,
  type PriorMeasure,
} from './measureTypes';

export interface MeasureBookOptions {
  /** Table name: lowercase letters, digits, `_`; at most 40 characters. @default 'measure_book' */
  table?: string;
  /** The agency's clock; tests inject one they can move. */
  clock: () => Date;
  /** How long the agency takes to answer a request (banks: within 24 hours). @default 0 (at once) */
  answerDelayMs?: number;
  /**
   * The agency's look at the asset when it answers a request or promotes a waiting one.
   * Must not use the book's database (it runs inside the book's transaction).
   * @default every request is accepted, with no amount
   */
  assess?: (measure: Measure) => Assessment | Promise<Assessment>;
}

/** The result of a disposal: the measure that was ACTIVE, and the waiting ones that lapsed. */
export interface Disposal {
  disposed: Measure;
  lapsed: Measure[];
}

/** Who acts on a measure: only the court (and case) that placed it may renew or release it. */
export interface Actor {
  courtCode: string;
  caseNumber?: string;
  /** The ruling or notice behind the act, kept in the measure's history. */
  documentNumber?: string;
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

const iso = (column: string, as = column) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${as}`;
const COLUMNS = `id::text AS id, request_id, asset_kind, asset_key, case_number, court_code, document_number, kind,
  amount_fen::text AS amount_fen, party_key, status, queue_position, ${iso('served_at')}, ${iso('due_at')}, term_days, ${iso('term_start')},
  ${iso('term_end')}, ${iso('ended_at')}, renewals, return_reason, controlled_fen::text AS controlled_fen,
  deducted_fen::text AS deducted_fen, prior`;

const sqlList = (values: readonly string[]) => `(${values.map((v) => `'${v}'`).join(', ')})`;
const fen = (value: string | null) => (value === null ? null : Number(value));

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

/** A refusal decided inside a transaction is returned, not thrown, so what was settled commits. */
type Outcome<T> = { ok: T } | { refused: MeasureError };

function unwrap<T>(outcome: Outcome<T>): T {
  if ('refused' in outcome) throw outcome.refused;
  return outcome.ok;
}

/**
 * The measure book an agency keeps for the assets it holds: which court's freeze, seal,
 * seizure or withholding controls each asset, the waiting list (轮候) behind it, every
 * measure's term, its history, and (deposits) what was deducted to the court.
 *
 * Every change to an asset runs in one transaction holding a transaction-scoped advisory
 * lock for that asset, so book instances in one process or in replicas sharing PostgreSQL
 * change an asset one at a time. Before acting, a change settles the asset up to now, in
 * time order: requests whose answer is due are answered (ACTIVE, WAITING or RETURNED) at
 * their due time, and an ACTIVE measure past its term lapses at its term end, promoting the
 * head of the queue. So the outcome never depends on when somebody happened to look.
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
    private readonly answerDelayMs: number,
    private readonly assess: (measure: Measure) => Assessment | Promise<Assessment>,
  ) {}

  /** Creates the tables and their indexes if missing. */
  static async open(db: Database, options: MeasureBookOptions): Promise<MeasureBook> {
    const table = options.table ?? 'measure_book';
    if (!/^[a-z_][a-z0-9_]{0,39}$/.test(table)) {
      throw new Error(`Measure table name "${table}" is not allowed: use lowercase letters, digits and _, at most 40 characters.`);
    }
    const delay = options.answerDelayMs ?? 0;
    if (!Number.isSafeInteger(delay) || delay < 0) throw new Error(`answerDelayMs must be a whole number of ms >= 0, not ${delay}.`);
    const book = new MeasureBook(db, table, options.clock, delay, options.assess ?? (() => ({})));
    // Instances starting together would race on CREATE … IF NOT EXISTS: the lock serialises them.
    await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [lockKey(table, '')]);
      for (const statement of createStatements(table)) await tx.query(statement);
    });
    return book;
  }

  /**
   * Serves a request on the agency: SUBMITTED until its answer is due, then ACTIVE with its
   * term if nothing controls the asset, else WAITING at the end of the queue, or RETURNED if
   * the agency's assessment returns it. With no answer delay it is answered at once. The same
   * `requestId` again returns the measure it made (REQUEST_ID_REUSED if the request differs).
   */
  async request(input: MeasureRequest): Promise<Measure> {
    checkRequest(input);
    const existing = await this.byRequestId(this.db, input.requestId);
    if (existing) return this.current(sameRequest(existing, input));
    let made: Measure;
    try {
      made = await this.onAsset<Measure>(input.assetKey, async (tx, now) => {
        const again = await this.byRequestId(tx, input.requestId);
        if (again) return { ok: again };
        const inserted = await tx.query<{ id: string }>(
          `INSERT INTO "${this.table}" (request_id, asset_kind, asset_key, case_number, court_code, document_number, kind,
             amount_fen, status, served_at, due_at, term_days, party_key)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'SUBMITTED', $9, $10, $11, $12) RETURNING id::text AS id`,
          [
            input.requestId,
            input.assetKind,
            input.assetKey,
            input.caseNumber,
            input.courtCode,
            input.documentNumber,
            input.kind,
            input.amountFen ?? null,
            now,
            new Date(now.getTime() + this.answerDelayMs),
            input.termDays,
            input.partyKey ?? null,
          ],
        );
        const id = inserted.rows[0]!.id;
        await this.record(tx, id, 'SUBMITTED', now, null);
        await this.settle(tx, input.assetKey, now);
        return { ok: await this.byId(tx, id) };
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

  /**
   * Ends a measure at its court's request: ACTIVE -> RELEASED and the head of the queue
   * becomes ACTIVE with its term from now; a WAITING or SUBMITTED one is withdrawn
   * (RELEASED) and the queue behind it moves up.
   */
  async release(measureId: string, by?: Actor): Promise<MeasureChange> {
    const found = await this.byId(this.db, measureId);
    return this.onAsset<MeasureChange>(found.assetKey, async (tx, now) => {
      await this.settle(tx, found.assetKey, now);
      const current = await this.byId(tx, measureId);
      const notYours = checkActor(current, by);
      if (notYours) return { refused: notYours };
      if (!['ACTIVE', 'WAITING', 'SUBMITTED'].includes(current.status)) {
        return { refused: notActive(current, 'released (only an ACTIVE, WAITING or SUBMITTED one can)') };
      }
      const { rows } = await tx.query<Row>(
        `UPDATE "${this.table}" SET status = 'RELEASED', ended_at = $2, queue_position = NULL, due_at = NULL
           WHERE id = $1 RETURNING ${COLUMNS}`,
        [measureId, now],
      );
      await this.record(tx, measureId, 'RELEASED', now, by?.documentNumber ?? null);
      let promoted: Measure | null = null;
      if (current.status === 'ACTIVE') promoted = await this.promoteHead(tx, found.assetKey, now);
      else if (current.status === 'WAITING') {
        await tx.query(
          `UPDATE "${this.table}" SET queue_position = queue_position - 1 WHERE asset_key = $1 AND status = 'WAITING' AND queue_position > $2`,
          [found.assetKey, current.queuePosition],
        );
      }
      return { ok: { measure: toMeasure(rows[0]!), promoted } };
    });
  }

  /** A fresh term of `termDays` from now, within the kind's limit, while ACTIVE and in term. */
  async renew(measureId: string, termDays: number, by?: Actor): Promise<Measure> {
    const found = await this.byId(this.db, measureId);
    checkTerm(found.assetKind, termDays);
    return this.onAsset<Measure>(found.assetKey, async (tx, now) => {
      const current = await this.byId(tx, measureId);
      const notYours = checkActor(current, by);
      if (notYours) return { refused: notYours };
      if (current.status === 'ACTIVE' && Date.parse(current.termEnd!) <= now.getTime()) {
        await this.settle(tx, found.assetKey, now);
        return {
          refused: new MeasureError('TERM_EXPIRED', `Measure ${measureId} ended its term at ${current.termEnd}; it can no longer be renewed.`, {
            termEnd: current.termEnd,
          }),
        };
      }
      await this.settle(tx, found.assetKey, now);
      const settled = await this.byId(tx, measureId);
      if (settled.status !== 'ACTIVE') return { refused: notActive(settled, 'renewed') };
      const end = termEnd(now, termDays);
      if (end.getTime() < Date.parse(settled.termEnd!)) {
        return {
          refused: new MeasureError('INVALID_INPUT', `A renewal of ${termDays} days from now would end before the current term (${settled.termEnd}).`, {
            field: 'termDays',
            termEnd: settled.termEnd,
          }),
        };
      }
      const { rows } = await tx.query<Row>(
        `UPDATE "${this.table}" SET term_days = $2, term_start = $3, term_end = $4, renewals = renewals + 1
           WHERE id = $1 RETURNING ${COLUMNS}`,
        [measureId, termDays, now, end],
      );
      const basis = by?.documentNumber ? ` (${by.documentNumber})` : '';
      await this.record(tx, measureId, 'RENEWED', now, `${termDays} days, until ${end.toISOString()}${basis}`);
      return { ok: toMeasure(rows[0]!) };
    });
  }

  /**
   * Deducts frozen funds of an ACTIVE deposit freeze to the deducting case: only a freeze of
   * that case, and at most what it holds less what was deducted before. Deducting all of it
   * disposes of the asset (the freeze DISPOSED, the waiting list LAPSED). The same
   * `requestId` again returns the same deduction. The transfer to the court is recorded as
   * pending (see `pendingTransfers`).
   */
  async deduct(input: DeductionRequest): Promise<DeductionResult> {
    if (!Number.isSafeInteger(input.amountFen) || input.amountFen < 1) {
      throw new MeasureError('INVALID_INPUT', 'amountFen must be a positive whole number of fen.', { field: 'amountFen' });
    }
    const done = await this.deductionByRequestId(this.db, input.requestId);
    if (done) return this.deductionResult(this.db, sameDeduction(done, input), []);
    const found = await this.byId(this.db, input.measureId);
    return this.onAsset<DeductionResult>(found.assetKey, async (tx, now) => {
      const again = await this.deductionByRequestId(tx, input.requestId);
      if (again) return { ok: await this.deductionResult(tx, sameDeduction(again, input), []) };
      await this.settle(tx, found.assetKey, now);
      const current = await this.byId(tx, input.measureId);
      if (current.assetKind !== 'DEPOSIT') {
        return { refused: new MeasureError('INVALID_INPUT', `Measure ${current.id} is not a deposit freeze; only frozen funds can be deducted.`, { field: 'measureId' }) };
      }
      if (current.caseNumber !== input.caseNumber || current.courtCode !== input.courtCode) {
        return {
          refused: new MeasureError('NOT_FROZEN_BY_CASE', `Measure ${current.id} was frozen for case ${current.caseNumber}, not ${input.caseNumber}: a case deducts only funds it froze itself.`, {
            measureId: current.id,
          }),
        };
      }
      if (current.status !== 'ACTIVE') return { refused: notActive(current, 'deducted from') };
      const availableFen = (current.amountControlledFen ?? 0) - current.amountDeductedFen;
      if (input.amountFen > availableFen) {
        return {
          refused: new MeasureError('INSUFFICIENT_FROZEN', `Measure ${current.id} holds ${availableFen} fen not yet deducted; ${input.amountFen} were asked.`, {
            measureId: current.id,
            availableFen,
          }),
        };
      }
      const inserted = await tx.query<{ id: string }>(
        `INSERT INTO "${this.table}_deductions" (request_id, measure_id, case_number, court_code, asset_key, amount_fen, at)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id::text AS id`,
        [input.requestId, current.id, input.caseNumber, input.courtCode, current.assetKey, input.amountFen, now],
      );
      await tx.query(`UPDATE "${this.table}" SET deducted_fen = deducted_fen + $2 WHERE id = $1`, [current.id, input.amountFen]);
      await this.record(tx, current.id, 'DEDUCTED', now, `${input.amountFen} fen`);
      let lapsed: Measure[] = [];
      if (input.amountFen === availableFen) lapsed = unwrap(await this.disposeIn(tx, current.assetKey, now)).lapsed;
      const deduction = (await this.deductionById(tx, inserted.rows[0]!.id))!;
      return { ok: await this.deductionResult(tx, deduction, lapsed) };
    });
  }

  /** Deductions whose transfer to the court has not been confirmed, oldest first. */
  async pendingTransfers(): Promise<Deduction[]> {
    const { rows } = await this.db.query<DeductionRow>(
      `SELECT ${DEDUCTION_COLUMNS} FROM "${this.table}_deductions" WHERE transferred_at IS NULL ORDER BY "${this.table}_deductions".id`,
    );
    return rows.map(toDeduction);
  }

  /** The court's case account confirmed the receipt of a deduction. */
  async markTransferred(deductionId: string): Promise<void> {
    await this.db.query(`UPDATE "${this.table}_deductions" SET transferred_at = $2 WHERE id = $1 AND transferred_at IS NULL`, [
      deductionId,
      this.clock(),
    ]);
  }

  /** Funds deducted per asset key (deposits: what left the account), for the agency's ledger. */
  async deductedByAsset(): Promise<Map<string, number>> {
    const { rows } = await this.db.query<{ asset_key: string; fen: string }>(
      `SELECT asset_key, sum(amount_fen)::text AS fen FROM "${this.table}_deductions" GROUP BY asset_key`,
    );
    return new Map(rows.map((r) => [r.asset_key, Number(r.fen)]));
  }

  /**
   * Answers every request now due and lapses every ACTIVE measure whose term has ended,
   * promoting each queue head, once; returns the lapses.
   */
  async settleDue(): Promise<MeasureChange[]> {
    const { rows } = await this.db.query<{ asset_key: string }>(
      `SELECT DISTINCT asset_key FROM "${this.table}"
         WHERE (status = 'ACTIVE' AND term_end <= $1) OR (status = 'SUBMITTED' AND due_at <= $1) ORDER BY asset_key`,
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
      return this.disposeIn(tx, assetKey, now);
    });
  }

  /** Every court's measures on the given assets, in order of service. */
  async measuresOf(assetKeys: string | readonly string[]): Promise<Measure[]> {
    const keys = typeof assetKeys === 'string' ? [assetKeys] : [...assetKeys];
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM "${this.table}" WHERE asset_key = ANY($1::text[]) ORDER BY "${this.table}".id`, [keys]);
    return rows.map(toMeasure);
  }

  /** Every asset key that has ever had a measure, so an agency knows which assets to look up. */
  async assetKeys(): Promise<string[]> {
    const { rows } = await this.db.query<{ asset_key: string }>(`SELECT DISTINCT asset_key FROM "${this.table}"`);
    return rows.map((r) => r.asset_key);
  }

  /** Every measure of one case, on any asset, in order of service. */
  async measuresOfCase(caseNumber: string): Promise<Measure[]> {
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM "${this.table}" WHERE case_number = $1 ORDER BY "${this.table}".id`, [caseNumber]);
    return rows.map(toMeasure);
  }

  /** Every measure of each of these cases, on any asset, in order of service. */
  async measuresOfCases(caseNumbers: readonly string[]): Promise<Measure[]> {
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM "${this.table}" WHERE case_number = ANY($1::text[]) ORDER BY "${this.table}".id`, [
      [...caseNumbers],
    ]);
    return rows.map(toMeasure);
  }

  /** Measures by their request ids (the court's idempotency keys), in order of service. */
  async measuresByRequestId(requestIds: readonly string[]): Promise<Measure[]> {
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM "${this.table}" WHERE request_id = ANY($1::text[]) ORDER BY "${this.table}".id`, [
      [...requestIds],
    ]);
    return rows.map(toMeasure);
  }

  /** One measure by id. */
  async measure(measureId: string): Promise<Measure> {
    return this.byId(this.db, measureId);
  }

  /** What happened to each measure, in order. */
  async historyOf(measureIds: readonly string[]): Promise<MeasureEvent[]> {
    const ids = measureIds.filter((id) => /^[0-9]{1,18}$/.test(id));
    const { rows } = await this.db.query<{ measure_id: string; kind: MeasureEventKind; at: string; note: string | null }>(
      `SELECT measure_id::text AS measure_id, kind, ${iso('at')}, note FROM "${this.table}_events"
         WHERE measure_id = ANY($1::bigint[]) ORDER BY "${this.table}_events".id`,
      [ids],
    );
    return rows.map((r) => ({ measureId: r.measure_id, kind: r.kind, at: r.at, note: r.note }));
  }

  /** Deductions made under the given measures, in order. */
  async deductionsOf(measureIds: readonly string[]): Promise<Deduction[]> {
    const ids = measureIds.filter((id) => /^[0-9]{1,18}$/.test(id));
    const { rows } = await this.db.query<DeductionRow>(
      `SELECT ${DEDUCTION_COLUMNS} FROM "${this.table}_deductions" WHERE measure_id = ANY($1::bigint[]) ORDER BY "${this.table}_deductions".id`,
      [ids],
    );
    return rows.map(toDeduction);
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

  /** The stored measure as of now: one still in play is settled first (its answer may be due). */
  private async current(measure: Measure): Promise<Measure> {
    if (!['SUBMITTED', 'ACTIVE', 'WAITING'].includes(measure.status)) return measure;
    return this.onAsset(measure.assetKey, async (tx, now) => {
      await this.settle(tx, measure.assetKey, now);
      return { ok: await this.byId(tx, measure.id) };
    });
  }

  /**
   * Brings the asset up to `now` in time order: the earliest of (an ACTIVE term ending, a
   * SUBMITTED request due) happens first; on a tie the term ends first, so the waiting list
   * (served earlier) moves before a newcomer is answered.
   */
  private async settle(tx: Queryable, assetKey: string, now: Date): Promise<MeasureChange[]> {
    const changes: MeasureChange[] = [];
    for (;;) {
      const { rows: ending } = await tx.query<Row>(
        `SELECT ${COLUMNS} FROM "${this.table}" WHERE asset_key = $1 AND status = 'ACTIVE' AND "${this.table}".term_end <= $2`,
        [assetKey, now],
      );
      const { rows: due } = await tx.query<Row>(
        `SELECT ${COLUMNS} FROM "${this.table}" WHERE asset_key = $1 AND status = 'SUBMITTED' AND "${this.table}".due_at <= $2
           ORDER BY "${this.table}".due_at, "${this.table}".id LIMIT 1`,
        [assetKey, now],
      );
      const lapse = ending[0];
      const answer = due[0];
      if (!lapse && !answer) return changes;
      if (lapse && (!answer || Date.parse(lapse.term_end!) <= Date.parse(answer.due_at!))) {
        const at = new Date(lapse.term_end!);
        const { rows } = await tx.query<Row>(
          `UPDATE "${this.table}" SET status = 'LAPSED', ended_at = term_end WHERE id = $1 RETURNING ${COLUMNS}`,
          [lapse.id],
        );
        await this.record(tx, lapse.id, 'LAPSED', at, 'term ended without renewal');
        const promoted = await this.promoteHead(tx, assetKey, at);
        changes.push({ measure: toMeasure(rows[0]!), promoted });
      } else {
        await this.answer(tx, toMeasure(answer!), new Date(answer!.due_at!));
      }
    }
  }

  /** The agency answers a SUBMITTED request at `at`: RETURNED, ACTIVE or WAITING. */
  private async answer(tx: Queryable, measure: Measure, at: Date): Promise<void> {
    const assessment = await this.assess(measure);
    if ('returned' in assessment) {
      await tx.query(`UPDATE "${this.table}" SET status = 'RETURNED', due_at = NULL, ended_at = $2, return_reason = $3 WHERE id = $1`, [
        measure.id,
        at,
        assessment.returned,
      ]);
      await this.record(tx, measure.id, 'RETURNED', at, assessment.returned);
      return;
    }
    const { rows: others } = await tx.query<Row>(
      `SELECT ${COLUMNS} FROM "${this.table}" WHERE asset_key = $1 AND status IN ('ACTIVE', 'WAITING') ORDER BY status, queue_position NULLS FIRST`,
      [measure.assetKey],
    );
    const prior = JSON.stringify(others.map((o) => priorOf(toMeasure(o))));
    const controlled = others.some((o) => o.status === 'ACTIVE');
    if (controlled) {
      const last = others.reduce((max, o) => Math.max(max, o.queue_position ?? 0), 0);
      await tx.query(`UPDATE "${this.table}" SET status = 'WAITING', due_at = NULL, queue_position = $2, prior = $3 WHERE id = $1`, [
        measure.id,
        last + 1,
        prior,
      ]);
      await this.record(tx, measure.id, 'WAITING', at, `position ${last + 1}`);
      return;
    }
    await tx.query(
      `UPDATE "${this.table}" SET status = 'ACTIVE', due_at = NULL, term_start = $2, term_end = $3, controlled_fen = $4, prior = $5 WHERE id = $1`,
      [measure.id, at, termEnd(at, measure.termDays), controlledFen(measure, assessment), prior],
    );
    await this.record(tx, measure.id, 'ACTIVE', at, null);
  }

  /** The head of the asset's queue becomes ACTIVE with its term from `start`; the rest move up. */
  private async promoteHead(tx: Queryable, assetKey: string, start: Date): Promise<Measure | null> {
    const { rows } = await tx.query<Row>(
      `SELECT ${COLUMNS} FROM "${this.table}" WHERE asset_key = $1 AND status = 'WAITING' ORDER BY queue_position LIMIT 1`,
      [assetKey],
    );
    const head = rows[0];
    if (!head) return null;
    const measure = toMeasure(head);
    const assessment = await this.assess(measure);
    const promoted = await tx.query<Row>(
      `UPDATE "${this.table}" SET status = 'ACTIVE', queue_position = NULL, term_start = $2, term_end = $3, controlled_fen = $4
         WHERE id = $1 RETURNING ${COLUMNS}`,
      [head.id, start, termEnd(start, head.term_days), 'returned' in assessment ? null : controlledFen(measure, assessment)],
    );
    await this.record(tx, head.id, 'ACTIVE', start, 'promoted from the waiting list');
    await tx.query(`UPDATE "${this.table}" SET queue_position = queue_position - 1 WHERE asset_key = $1 AND status = 'WAITING'`, [assetKey]);
    return toMeasure(promoted.rows[0]!);
  }

  private async disposeIn(tx: Queryable, assetKey: string, now: Date): Promise<Outcome<Disposal>> {
    const { rows: disposed } = await tx.query<Row>(
      `UPDATE "${this.table}" SET status = 'DISPOSED', ended_at = $2 WHERE asset_key = $1 AND status = 'ACTIVE' RETURNING ${COLUMNS}`,
      [assetKey, now],
    );
    if (disposed.length === 0) {
      return { refused: new MeasureError('NOTHING_ACTIVE', `No measure controls asset ${assetKey}; there is nothing to dispose of.`, { assetKey }) };
    }
    await this.record(tx, disposed[0]!.id, 'DISPOSED', now, 'the asset was wholly disposed of');
    const { rows: lapsed } = await tx.query<Row>(
      `UPDATE "${this.table}" SET status = 'LAPSED', queue_position = NULL, ended_at = $2
         WHERE asset_key = $1 AND status = 'WAITING' RETURNING ${COLUMNS}`,
      [assetKey, now],
    );
    for (const l of lapsed) await this.record(tx, l.id, 'LAPSED', now, 'the asset was wholly disposed of');
    return { ok: { disposed: toMeasure(disposed[0]!), lapsed: lapsed.map(toMeasure).sort((a, b) => Number(a.id) - Number(b.id)) } };
  }

  private async record(tx: Queryable, measureId: string, kind: MeasureEventKind, at: Date, note: string | null): Promise<void> {
    await tx.query(`INSERT INTO "${this.table}_events" (measure_id, kind, at, note) VALUES ($1, $2, $3, $4)`, [measureId, kind, at, note]);
  }

  private async deductionResult(q: Queryable, deduction: Deduction, lapsed: Measure[]): Promise<DeductionResult> {
    return { deduction, measure: await this.byId(q, deduction.measureId), lapsed };
  }

  private async deductionByRequestId(q: Queryable, requestId: string): Promise<Deduction | undefined> {
    const { rows } = await q.query<DeductionRow>(`SELECT ${DEDUCTION_COLUMNS} FROM "${this.table}_deductions" WHERE request_id = $1`, [requestId]);
    return rows[0] && toDeduction(rows[0]);
  }

  private async deductionById(q: Queryable, id: string): Promise<Deduction | undefined> {
    const { rows } = await q.query<DeductionRow>(`SELECT ${DEDUCTION_COLUMNS} FROM "${this.table}_deductions" WHERE id = $1`, [id]);
    return rows[0] && toDeduction(rows[0]);
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

interface DeductionRow {
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

const DEDUCTION_COLUMNS = `id::text AS id, request_id, measure_id::text AS measure_id, case_number, court_code, asset_key,
  amount_fen::text AS amount_fen, ${iso('at')}, ${iso('transferred_at')}`;

function toDeduction(row: DeductionRow): Deduction {
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

/** Deposits: the freeze holds what was asked, but never more than the agency can control. */
function controlledFen(measure: Measure, assessment: { controllableFen?: number }): number | null {
  if (measure.assetKind !== 'DEPOSIT') return null;
  if (assessment.controllableFen === undefined) return measure.amountFen;
  const controllable = Math.max(0, assessment.controllableFen);
  return measure.amountFen === null ? controllable : Math.min(measure.amountFen, controllable);
}

function priorOf(m: Measure): PriorMeasure {
  return {
    measureId: m.id,
    courtCode: m.courtCode,
    caseNumber: m.caseNumber,
    documentNumber: m.documentNumber,
    status: m.status as 'ACTIVE' | 'WAITING',
    amountControlledFen: m.amountControlledFen,
    queuePosition: m.queuePosition,
    termEnd: m.termEnd,
  };
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
    stored.amountFen === (input.amountFen ?? null) &&
    stored.partyKey === (input.partyKey ?? null);
  if (!same) {
    throw new MeasureError('REQUEST_ID_REUSED', `Request id ${input.requestId} was already used for a different request (measure ${stored.id}).`, {
      measureId: stored.id,
    });
  }
  return stored;
}

function sameDeduction(stored: Deduction, input: DeductionRequest): Deduction {
  if (stored.measureId !== input.measureId || stored.amountFen !== input.amountFen || stored.caseNumber !== input.caseNumber) {
    throw new MeasureError('REQUEST_ID_REUSED', `Request id ${input.requestId} was already used for a different deduction (${stored.id}).`, {
      deductionId: stored.id,
    });
  }
  return stored;
}

function checkActor(measure: Measure, by: Actor | undefined): MeasureError | undefined {
  if (!by) return undefined;
  if (measure.courtCode !== by.courtCode || (by.caseNumber !== undefined && measure.caseNumber !== by.caseNumber)) {
    return new MeasureError('NOT_YOUR_MEASURE', `Measure ${measure.id} belongs to case ${measure.caseNumber} of court ${measure.courtCode}; only that case can renew or release it.`, {
      measureId: measure.id,
    });
  }
  return undefined;
}

function notActive(measure: Measure, act: string): MeasureError {
  return new MeasureError('NOT_ACTIVE', `Measure ${measure.id} is ${measure.status}; it cannot be ${act}.`, {
    measureId: measure.id,
    status: measure.status,
  });
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
