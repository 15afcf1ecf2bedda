import type { Database } from '../../../lib/db/openDatabase';
import { Deductions } from './deductions';
import { checkActor, notActive, sameRequest } from './measureRequests';
import { checkRequest, checkTerm, termEnd } from './measureRules';
import { COLUMNS, iso, MeasureStore, type Row, toMeasure } from './measureStore';
import {
  type Actor,
  type Assessment,
  type Deduction,
  type DeductionRequest,
  type DeductionResult,
  type Disposal,
  type Measure,
  type MeasureChange,
  MeasureError,
  type MeasureEvent,
  type MeasureEventKind,
  type MeasureRequest,
} from './measureTypes';
import { WaitingList } from './waitingList';

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
 *
 * This file holds the courts' acts and the readers; the tables and the asset lock are in
 * measureStore.ts, the queue's moves in waitingList.ts, deductions in deductions.ts.
 */
export class MeasureBook {
  private constructor(
    private readonly store: MeasureStore,
    private readonly answerDelayMs: number,
    private readonly waitingList: WaitingList,
    private readonly deductions: Deductions,
  ) {}

  /** Creates the tables and their indexes if missing. */
  static async open(db: Database, options: MeasureBookOptions): Promise<MeasureBook> {
    const store = new MeasureStore(db, options.table ?? 'measure_book', options.clock);
    const delay = options.answerDelayMs ?? 0;
    if (!Number.isSafeInteger(delay) || delay < 0) throw new Error(`answerDelayMs must be a whole number of ms >= 0, not ${delay}.`);
    const waitingList = new WaitingList(store, options.assess ?? (() => ({})));
    const book = new MeasureBook(store, delay, waitingList, new Deductions(store, waitingList));
    await store.install();
    return book;
  }

  /** The book's table (and the prefix of its `_events` and `_deductions` tables). */
  get table(): string {
    return this.store.table;
  }

  private get db(): Database {
    return this.store.db;
  }

  /**
   * Serves a request on the agency: SUBMITTED until its answer is due, then ACTIVE with its
   * term if nothing controls the asset, else WAITING at the end of the queue, or RETURNED if
   * the agency's assessment returns it. With no answer delay it is answered at once. The same
   * `requestId` again returns the measure it made (REQUEST_ID_REUSED if the request differs).
   */
  async request(input: MeasureRequest): Promise<Measure> {
    checkRequest(input);
    const existing = await this.store.byRequestId(this.db, input.requestId);
    if (existing) return this.current(sameRequest(existing, input));
    let made: Measure;
    try {
      made = await this.store.onAsset<Measure>(input.assetKey, async (tx, now) => {
        const again = await this.store.byRequestId(tx, input.requestId);
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
        await this.store.record(tx, id, 'SUBMITTED', now, null);
        await this.waitingList.settle(tx, input.assetKey, now);
        return { ok: await this.store.byId(tx, id) };
      });
    } catch (error) {
      // The same request id on another asset key committed first: the unique constraint held.
      if ((error as { code?: string }).code !== '23505') throw error;
      const winner = await this.store.byRequestId(this.db, input.requestId);
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
    const found = await this.store.byId(this.db, measureId);
    return this.store.onAsset<MeasureChange>(found.assetKey, async (tx, now) => {
      await this.waitingList.settle(tx, found.assetKey, now);
      const current = await this.store.byId(tx, measureId);
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
      await this.store.record(tx, measureId, 'RELEASED', now, by?.documentNumber ?? null);
      let promoted: Measure | null = null;
      if (current.status === 'ACTIVE') promoted = await this.waitingList.promoteHead(tx, found.assetKey, now);
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
    const found = await this.store.byId(this.db, measureId);
    checkTerm(found.assetKind, termDays);
    return this.store.onAsset<Measure>(found.assetKey, async (tx, now) => {
      const current = await this.store.byId(tx, measureId);
      const notYours = checkActor(current, by);
      if (notYours) return { refused: notYours };
      if (current.status === 'ACTIVE' && Date.parse(current.termEnd!) <= now.getTime()) {
        await this.waitingList.settle(tx, found.assetKey, now);
        return {
          refused: new MeasureError('TERM_EXPIRED', `Measure ${measureId} ended its term at ${current.termEnd}; it can no longer be renewed.`, {
            termEnd: current.termEnd,
          }),
        };
      }
      await this.waitingList.settle(tx, found.assetKey, now);
      const settled = await this.store.byId(tx, measureId);
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
      await this.store.record(tx, measureId, 'RENEWED', now, `${termDays} days, until ${end.toISOString()}${basis}`);
      return { ok: toMeasure(rows[0]!) };
    });
  }

  /** Deducts frozen funds of an ACTIVE deposit freeze to its own case: see {@link Deductions.deduct}. */
  deduct(input: DeductionRequest): Promise<DeductionResult> {
    return this.deductions.deduct(input);
  }

  /** Deductions whose transfer to the court has not been confirmed, oldest first. */
  pendingTransfers(): Promise<Deduction[]> {
    return this.deductions.pendingTransfers();
  }

  /** The court's case account confirmed the receipt of a deduction. */
  markTransferred(deductionId: string): Promise<void> {
    return this.deductions.markTransferred(deductionId);
  }

  /** Funds deducted per asset key (deposits: what left the account), for the agency's ledger. */
  deductedByAsset(): Promise<Map<string, number>> {
    return this.deductions.deductedByAsset();
  }

  /**
   * Answers every request now due and lapses every ACTIVE measure whose term has ended,
   * promoting each queue head, once; returns the lapses.
   */
  async settleDue(): Promise<MeasureChange[]> {
    const { rows } = await this.db.query<{ asset_key: string }>(
      `SELECT DISTINCT asset_key FROM "${this.table}"
         WHERE (status = 'ACTIVE' AND term_end <= $1) OR (status = 'SUBMITTED' AND due_at <= $1) ORDER BY asset_key`,
      [this.store.clock()],
    );
    const changes: MeasureChange[] = [];
    for (const { asset_key: assetKey } of rows) {
      changes.push(...(await this.store.onAsset(assetKey, async (tx, now) => ({ ok: await this.waitingList.settle(tx, assetKey, now) }))));
    }
    return changes;
  }

  /** The asset is wholly disposed of: the ACTIVE measure -> DISPOSED, every WAITING one -> LAPSED. */
  async dispose(assetKey: string): Promise<Disposal> {
    return this.store.onAsset<Disposal>(assetKey, async (tx, now) => {
      await this.waitingList.settle(tx, assetKey, now);
      return this.waitingList.disposeIn(tx, assetKey, now);
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
    return this.store.byId(this.db, measureId);
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
  deductionsOf(measureIds: readonly string[]): Promise<Deduction[]> {
    return this.deductions.deductionsOf(measureIds);
  }

  /** The stored measure as of now: one still in play is settled first (its answer may be due). */
  private async current(measure: Measure): Promise<Measure> {
    if (!['SUBMITTED', 'ACTIVE', 'WAITING'].includes(measure.status)) return measure;
    return this.store.onAsset(measure.assetKey, async (tx, now) => {
      await this.waitingList.settle(tx, measure.assetKey, now);
      return { ok: await this.store.byId(tx, measure.id) };
    });
  }
}
