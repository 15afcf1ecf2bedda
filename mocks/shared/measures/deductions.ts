/**
 * Deposits only: frozen funds deducted to the court's case (划拨), the transfers still
 * pending to the court's case account, and what left each account. Apart from the acts
 * (measureBook.ts) because only banks deduct, and a deduction keeps its own table
 * (`<table>_deductions`) and its own idempotency key.
 */
import type { Queryable } from '../../../lib/db/openDatabase';
import { notActive, sameDeduction } from './measureRequests';
import { DEDUCTION_COLUMNS, type DeductionRow, type MeasureStore, toDeduction, unwrap } from './measureStore';
import { type Deduction, type DeductionRequest, type DeductionResult, type Measure, MeasureError } from './measureTypes';
import type { WaitingList } from './waitingList';

export class Deductions {
  constructor(
    private readonly store: MeasureStore,
    private readonly waitingList: WaitingList,
  ) {}

  /**
   * Deducts frozen funds of an ACTIVE deposit freeze to the deducting case: only a freeze of
   * that case, and at most what it holds less what was deducted before. Deducting all of it
   * disposes of the asset (the freeze DISPOSED, the waiting list LAPSED). The same
   * `requestId` again returns the same deduction. The transfer to the court is recorded as
   * pending (see `pendingTransfers`).
   */
  async deduct(input: DeductionRequest): Promise<DeductionResult> {
    const { db, table } = this.store;
    if (!Number.isSafeInteger(input.amountFen) || input.amountFen < 1) {
      throw new MeasureError('INVALID_INPUT', 'amountFen must be a positive whole number of fen.', { field: 'amountFen' });
    }
    const done = await this.byRequestId(db, input.requestId);
    if (done) return this.result(db, sameDeduction(done, input), []);
    const found = await this.store.byId(db, input.measureId);
    return this.store.onAsset<DeductionResult>(found.assetKey, async (tx, now) => {
      const again = await this.byRequestId(tx, input.requestId);
      if (again) return { ok: await this.result(tx, sameDeduction(again, input), []) };
      await this.waitingList.settle(tx, found.assetKey, now);
      const current = await this.store.byId(tx, input.measureId);
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
        `INSERT INTO "${table}_deductions" (request_id, measure_id, case_number, court_code, asset_key, amount_fen, at)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id::text AS id`,
        [input.requestId, current.id, input.caseNumber, input.courtCode, current.assetKey, input.amountFen, now],
      );
      await tx.query(`UPDATE "${table}" SET deducted_fen = deducted_fen + $2 WHERE id = $1`, [current.id, input.amountFen]);
      await this.store.record(tx, current.id, 'DEDUCTED', now, `${input.amountFen} fen`);
      let lapsed: Measure[] = [];
      if (input.amountFen === availableFen) lapsed = unwrap(await this.waitingList.disposeIn(tx, current.assetKey, now)).lapsed;
      const deduction = (await this.byId(tx, inserted.rows[0]!.id))!;
      return { ok: await this.result(tx, deduction, lapsed) };
    });
  }

  /** Deductions whose transfer to the court has not been confirmed, oldest first. */
  async pendingTransfers(): Promise<Deduction[]> {
    const { db, table } = this.store;
    const { rows } = await db.query<DeductionRow>(
      `SELECT ${DEDUCTION_COLUMNS} FROM "${table}_deductions" WHERE transferred_at IS NULL ORDER BY "${table}_deductions".id`,
    );
    return rows.map(toDeduction);
  }

  /** The court's case account confirmed the receipt of a deduction. */
  async markTransferred(deductionId: string): Promise<void> {
    const { db, table, clock } = this.store;
    await db.query(`UPDATE "${table}_deductions" SET transferred_at = $2 WHERE id = $1 AND transferred_at IS NULL`, [deductionId, clock()]);
  }

  /** Funds deducted per asset key (deposits: what left the account), for the agency's ledger. */
  async deductedByAsset(): Promise<Map<string, number>> {
    const { db, table } = this.store;
    const { rows } = await db.query<{ asset_key: string; fen: string }>(
      `SELECT asset_key, sum(amount_fen)::text AS fen FROM "${table}_deductions" GROUP BY asset_key`,
    );
    return new Map(rows.map((r) => [r.asset_key, Number(r.fen)]));
  }

  /** Deductions made under the given measures, in order. */
  async deductionsOf(measureIds: readonly string[]): Promise<Deduction[]> {
    const { db, table } = this.store;
    const ids = measureIds.filter((id) => /^[0-9]{1,18}$/.test(id));
    const { rows } = await db.query<DeductionRow>(
      `SELECT ${DEDUCTION_COLUMNS} FROM "${table}_deductions" WHERE measure_id = ANY($1::bigint[]) ORDER BY "${table}_deductions".id`,
      [ids],
    );
    return rows.map(toDeduction);
  }

  private async result(q: Queryable, deduction: Deduction, lapsed: Measure[]): Promise<DeductionResult> {
    return { deduction, measure: await this.store.byId(q, deduction.measureId), lapsed };
  }

  private async byRequestId(q: Queryable, requestId: string): Promise<Deduction | undefined> {
    const { rows } = await q.query<DeductionRow>(`SELECT ${DEDUCTION_COLUMNS} FROM "${this.store.table}_deductions" WHERE request_id = $1`, [requestId]);
    return rows[0] && toDeduction(rows[0]);
  }

  private async byId(q: Queryable, id: string): Promise<Deduction | undefined> {
    const { rows } = await q.query<DeductionRow>(`SELECT ${DEDUCTION_COLUMNS} FROM "${this.store.table}_deductions" WHERE id = $1`, [id]);
    return rows[0] && toDeduction(rows[0]);
  }
}
