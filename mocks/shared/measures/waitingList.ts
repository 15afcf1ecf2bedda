/**
 * The order of the measures on one asset (轮候): how an answered request takes its place
 * (ACTIVE, WAITING at the end of the queue, or RETURNED), how the queue moves up when a term
 * lapses or the controlling measure is released, and how it lapses when the asset is disposed
 * of. Apart from the acts (measureBook.ts) because every act settles the asset first, and
 * both releases and deductions move the queue; each runs inside the caller's transaction,
 * which holds the asset's lock.
 */
import type { Queryable } from '../../../lib/db/openDatabase';
import { termEnd } from './measureRules';
import { COLUMNS, type MeasureStore, type Outcome, type Row, toMeasure } from './measureStore';
import { type Assessment, type Disposal, type Measure, type MeasureChange, MeasureError, type PriorMeasure } from './measureTypes';

export class WaitingList {
  constructor(
    private readonly store: MeasureStore,
    private readonly assess: (measure: Measure) => Assessment | Promise<Assessment>,
  ) {}

  /**
   * Brings the asset up to `now` in time order: the earliest of (an ACTIVE term ending, a
   * SUBMITTED request due) happens first; on a tie the term ends first, so the waiting list
   * (served earlier) moves before a newcomer is answered.
   */
  async settle(tx: Queryable, assetKey: string, now: Date): Promise<MeasureChange[]> {
    const { table } = this.store;
    const changes: MeasureChange[] = [];
    for (;;) {
      const { rows: ending } = await tx.query<Row>(
        `SELECT ${COLUMNS} FROM "${table}" WHERE asset_key = $1 AND status = 'ACTIVE' AND "${table}".term_end <= $2`,
        [assetKey, now],
      );
      const { rows: due } = await tx.query<Row>(
        `SELECT ${COLUMNS} FROM "${table}" WHERE asset_key = $1 AND status = 'SUBMITTED' AND "${table}".due_at <= $2
           ORDER BY "${table}".due_at, "${table}".id LIMIT 1`,
        [assetKey, now],
      );
      const lapse = ending[0];
      const answer = due[0];
      if (!lapse && !answer) return changes;
      if (lapse && (!answer || Date.parse(lapse.term_end!) <= Date.parse(answer.due_at!))) {
        const at = new Date(lapse.term_end!);
        const { rows } = await tx.query<Row>(
          `UPDATE "${table}" SET status = 'LAPSED', ended_at = term_end WHERE id = $1 RETURNING ${COLUMNS}`,
          [lapse.id],
        );
        await this.store.record(tx, lapse.id, 'LAPSED', at, 'term ended without renewal');
        const promoted = await this.promoteHead(tx, assetKey, at);
        changes.push({ measure: toMeasure(rows[0]!), promoted });
      } else {
        await this.answer(tx, toMeasure(answer!), new Date(answer!.due_at!));
      }
    }
  }

  /** The head of the asset's queue becomes ACTIVE with its term from `start`; the rest move up. */
  async promoteHead(tx: Queryable, assetKey: string, start: Date): Promise<Measure | null> {
    const { table } = this.store;
    const { rows } = await tx.query<Row>(
      `SELECT ${COLUMNS} FROM "${table}" WHERE asset_key = $1 AND status = 'WAITING' ORDER BY queue_position LIMIT 1`,
      [assetKey],
    );
    const head = rows[0];
    if (!head) return null;
    const measure = toMeasure(head);
    const assessment = await this.assess(measure);
    const promoted = await tx.query<Row>(
      `UPDATE "${table}" SET status = 'ACTIVE', queue_position = NULL, term_start = $2, term_end = $3, controlled_fen = $4
         WHERE id = $1 RETURNING ${COLUMNS}`,
      [head.id, start, termEnd(start, head.term_days), 'returned' in assessment ? null : controlledFen(measure, assessment)],
    );
    await this.store.record(tx, head.id, 'ACTIVE', start, 'promoted from the waiting list');
    await tx.query(`UPDATE "${table}" SET queue_position = queue_position - 1 WHERE asset_key = $1 AND status = 'WAITING'`, [assetKey]);
    return toMeasure(promoted.rows[0]!);
  }

  /** The asset is wholly disposed of: the ACTIVE measure -> DISPOSED, every WAITING one -> LAPSED. */
  async disposeIn(tx: Queryable, assetKey: string, now: Date): Promise<Outcome<Disposal>> {
    const { table } = this.store;
    const { rows: disposed } = await tx.query<Row>(
      `UPDATE "${table}" SET status = 'DISPOSED', ended_at = $2 WHERE asset_key = $1 AND status = 'ACTIVE' RETURNING ${COLUMNS}`,
      [assetKey, now],
    );
    if (disposed.length === 0) {
      return { refused: new MeasureError('NOTHING_ACTIVE', `No measure controls asset ${assetKey}; there is nothing to dispose of.`, { assetKey }) };
    }
    await this.store.record(tx, disposed[0]!.id, 'DISPOSED', now, 'the asset was wholly disposed of');
    const { rows: lapsed } = await tx.query<Row>(
      `UPDATE "${table}" SET status = 'LAPSED', queue_position = NULL, ended_at = $2
         WHERE asset_key = $1 AND status = 'WAITING' RETURNING ${COLUMNS}`,
      [assetKey, now],
    );
    for (const l of lapsed) await this.store.record(tx, l.id, 'LAPSED', now, 'the asset was wholly disposed of');
    return { ok: { disposed: toMeasure(disposed[0]!), lapsed: lapsed.map(toMeasure).sort((a, b) => Number(a.id) - Number(b.id)) } };
  }

  /** The agency answers a SUBMITTED request at `at`: RETURNED, ACTIVE or WAITING. */
  private async answer(tx: Queryable, measure: Measure, at: Date): Promise<void> {
    const { table } = this.store;
    const assessment = await this.assess(measure);
    if ('returned' in assessment) {
      await tx.query(`UPDATE "${table}" SET status = 'RETURNED', due_at = NULL, ended_at = $2, return_reason = $3 WHERE id = $1`, [
        measure.id,
        at,
        assessment.returned,
      ]);
      await this.store.record(tx, measure.id, 'RETURNED', at, assessment.returned);
      return;
    }
    const { rows: others } = await tx.query<Row>(
      `SELECT ${COLUMNS} FROM "${table}" WHERE asset_key = $1 AND status IN ('ACTIVE', 'WAITING') ORDER BY status, queue_position NULLS FIRST`,
      [measure.assetKey],
    );
    const prior = JSON.stringify(others.map((o) => priorOf(toMeasure(o))));
    const controlled = others.some((o) => o.status === 'ACTIVE');
    if (controlled) {
      const last = others.reduce((max, o) => Math.max(max, o.queue_position ?? 0), 0);
      await tx.query(`UPDATE "${table}" SET status = 'WAITING', due_at = NULL, queue_position = $2, prior = $3 WHERE id = $1`, [
        measure.id,
        last + 1,
        prior,
      ]);
      await this.store.record(tx, measure.id, 'WAITING', at, `position ${last + 1}`);
      return;
    }
    await tx.query(
      `UPDATE "${table}" SET status = 'ACTIVE', due_at = NULL, term_start = $2, term_end = $3, controlled_fen = $4, prior = $5 WHERE id = $1`,
      [measure.id, at, termEnd(at, measure.termDays), controlledFen(measure, assessment), prior],
    );
    await this.store.record(tx, measure.id, 'ACTIVE', at, null);
  }
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
