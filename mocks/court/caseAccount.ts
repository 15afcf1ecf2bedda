import { advisoryLockKey } from '../../lib/db/advisoryLockKey';
import type { Database, Queryable } from '../../lib/db/openDatabase';

export interface CaseAccountOptions {
  /** Table name: lowercase letters, digits, `_`; at most 48 characters. @default 'case_receipts' */
  table?: string;
  /** The court system's clock, stamped on each receipt. @default () => new Date() */
  clock?: () => Date;
}

/** Money a payer (a bank deducting from a debtor's account, say) hands over for a case. */
export interface ReceiptInput {
  caseNumber: string;
  /** Integer fen, more than zero. */
  amountFen: number;
  /** Who paid, e.g. a bank code. */
  payer: string;
  /** The payer's own serial number: the idempotency key, never recorded twice. */
  reference: string;
}

/** One stored receipt; `receivedAt` is an ISO string in UTC to the millisecond. */
export interface Receipt extends ReceiptInput {
  id: string;
  receivedAt: string;
}

/** The receipt, and everything the case has received with it (integer fen). */
export interface Receiving {
  receipt: Receipt;
  paidFen: number;
}

export type CaseAccountErrorCode = 'INVALID_INPUT' | 'EXCEEDS_OUTSTANDING' | 'REFERENCE_REUSED';

/** A refusal the payer can branch on: `code` is stable, `details` carries the amounts. */
export class CaseAccountError extends Error {
  constructor(
    readonly code: CaseAccountErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'CaseAccountError';
  }
}

/** The longest payer or reference accepted; real serial numbers are far shorter. */
export const MAX_REFERENCE_LENGTH = 100;

interface Row {
  id: string;
  case_number: string;
  amount_fen: string;
  payer: string;
  reference: string;
  received_at: string;
}

const COLUMNS = `id::text AS id, case_number, amount_fen::text AS amount_fen, payer, reference,
  to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS received_at`;

function toReceipt(row: Row): Receipt {
  return {
    id: row.id,
    caseNumber: row.case_number,
    amountFen: Number(row.amount_fen),
    payer: row.payer,
    reference: row.reference,
    receivedAt: row.received_at,
  };
}

/**
 * The court case system's account of money received for enforcement cases: one row per
 * receipt, never changed or removed, so what a case has received is the sum of its rows.
 *
 * A receipt runs in one transaction holding a transaction-scoped advisory lock for its
 * case, and checks inside it that the case's receipts stay within what was outstanding:
 * accounts in one process or in replicas sharing PostgreSQL never take a case below zero.
 */
export class CaseAccount {
  private constructor(
    private readonly db: Database,
    readonly table: string,
    private readonly clock: () => Date,
  ) {}

  /** Creates the table and its index if missing. */
  static async open(db: Database, options: CaseAccountOptions = {}): Promise<CaseAccount> {
    const table = options.table ?? 'case_receipts';
    if (!/^[a-z_][a-z0-9_]{0,47}$/.test(table)) {
      throw new Error(`Case account table name "${table}" is not allowed: use lowercase letters, digits and _, at most 48 characters.`);
    }
    // Instances starting together would race on CREATE … IF NOT EXISTS: the lock serialises them.
    await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [lockKey(table, '')]);
      for (const statement of createStatements(table)) await tx.query(statement);
    });
    return new CaseAccount(db, table, options.clock ?? (() => new Date()));
  }

  /**
   * Records a receipt for a case whose outstanding amount, before any receipt of this
   * account, is `outstandingBeforeFen`. Refused with `EXCEEDS_OUTSTANDING` if the case's
   * receipts would then exceed it. The same `reference` again returns the receipt it made
   * (refused with `REFERENCE_REUSED` if the receipt differs), with the case's current total.
   */
  async receive(input: ReceiptInput, outstandingBeforeFen: number): Promise<Receiving> {
    checkInput(input);
    if (!Number.isSafeInteger(outstandingBeforeFen) || outstandingBeforeFen < 0) {
      throw new TypeError(`outstandingBeforeFen must be a whole number of fen, at least 0, got ${outstandingBeforeFen}.`);
    }
    const existing = await this.byReference(this.db, input.reference);
    if (existing) return { receipt: sameReceipt(existing, input), paidFen: await this.paidOf(this.db, input.caseNumber) };
    try {
      return await this.db.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [lockKey(this.table, input.caseNumber)]);
        const again = await this.byReference(tx, input.reference);
        if (again) return { receipt: sameReceipt(again, input), paidFen: await this.paidOf(tx, input.caseNumber) };
        const paidBefore = await this.paidOf(tx, input.caseNumber);
        const outstandingFen = outstandingBeforeFen - paidBefore;
        if (input.amountFen > outstandingFen) {
          throw new CaseAccountError(
            'EXCEEDS_OUTSTANDING',
            `A receipt of ${input.amountFen} fen exceeds the ${outstandingFen} fen outstanding in case ${input.caseNumber}.`,
            { caseNumber: input.caseNumber, amountFen: input.amountFen, outstandingFen },
          );
        }
        const { rows } = await tx.query<Row>(
          `INSERT INTO "${this.table}" (case_number, amount_fen, payer, reference, received_at)
           VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
          [input.caseNumber, input.amountFen, input.payer, input.reference, this.clock()],
        );
        return { receipt: toReceipt(rows[0]!), paidFen: paidBefore + input.amountFen };
      });
    } catch (error) {
      // The same reference for another case committed first (another case's lock): the unique constraint held.
      if ((error as { code?: string }).code !== '23505') throw error;
      const winner = await this.byReference(this.db, input.reference);
      if (!winner) throw error;
      return { receipt: sameReceipt(winner, input), paidFen: await this.paidOf(this.db, input.caseNumber) };
    }
  }

  /** What each of `caseNumbers` has received, in fen (0 for a case with no receipt). */
  async paidByCase(caseNumbers: readonly string[]): Promise<Map<string, number>> {
    const paid = new Map<string, number>(caseNumbers.map((n) => [n, 0]));
    if (caseNumbers.length === 0) return paid;
    const { rows } = await this.db.query<{ case_number: string; paid: string }>(
      `SELECT case_number, sum(amount_fen)::text AS paid FROM "${this.table}" WHERE case_number = ANY($1::text[]) GROUP BY case_number`,
      [[...new Set(caseNumbers)]],
    );
    for (const row of rows) paid.set(row.case_number, Number(row.paid));
    return paid;
  }

  /** What every case with a receipt has received, in fen: loaded once when a court system starts. */
  async paidTotals(): Promise<Map<string, number>> {
    const { rows } = await this.db.query<{ case_number: string; paid: string }>(
      `SELECT case_number, sum(amount_fen)::text AS paid FROM "${this.table}" GROUP BY case_number`,
    );
    return new Map(rows.map((row) => [row.case_number, Number(row.paid)]));
  }

  /** Every receipt of one case, in the order received. */
  async receiptsOf(caseNumber: string): Promise<Receipt[]> {
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM "${this.table}" WHERE case_number = $1 ORDER BY "${this.table}".id`, [caseNumber]);
    return rows.map(toReceipt);
  }

  private async paidOf(q: Queryable, caseNumber: string): Promise<number> {
    const { rows } = await q.query<{ paid: string }>(
      `SELECT coalesce(sum(amount_fen), 0)::text AS paid FROM "${this.table}" WHERE case_number = $1`,
      [caseNumber],
    );
    return Number(rows[0]?.paid ?? '0');
  }

  private async byReference(q: Queryable, reference: string): Promise<Receipt | undefined> {
    const { rows } = await q.query<Row>(`SELECT ${COLUMNS} FROM "${this.table}" WHERE reference = $1`, [reference]);
    return rows[0] && toReceipt(rows[0]);
  }
}

function checkInput(input: ReceiptInput): void {
  const refuse = (field: keyof ReceiptInput, why: string) => {
    throw new CaseAccountError('INVALID_INPUT', `${field} ${why}.`, { field });
  };
  if (typeof input.caseNumber !== 'string' || input.caseNumber === '') refuse('caseNumber', 'must be a case number');
  if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0) refuse('amountFen', `must be a whole number of fen above 0, got ${input.amountFen}`);
  for (const field of ['payer', 'reference'] as const) {
    const value = input[field];
    if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_REFERENCE_LENGTH) {
      refuse(field, `must be a non-blank string of at most ${MAX_REFERENCE_LENGTH} characters`);
    }
  }
}

/** The stored receipt for a repeated reference, if the receipt is the same one. */
function sameReceipt(stored: Receipt, input: ReceiptInput): Receipt {
  if (stored.caseNumber !== input.caseNumber || stored.amountFen !== input.amountFen || stored.payer !== input.payer) {
    throw new CaseAccountError(
      'REFERENCE_REUSED',
      `Reference ${input.reference} was already used for a different receipt (receipt ${stored.id}).`,
      { receiptId: stored.id, reference: input.reference },
    );
  }
  return stored;
}

/** The lock of one case of one table ('' for the table itself). */
function lockKey(table: string, caseNumber: string): string {
  return advisoryLockKey('case-account', table, caseNumber);
}

function createStatements(table: string): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS "${table}" (
      id bigserial PRIMARY KEY,
      case_number text NOT NULL CHECK (case_number <> ''),
      amount_fen bigint NOT NULL CHECK (amount_fen > 0),
      payer text NOT NULL CHECK (payer <> ''),
      reference text NOT NULL UNIQUE,
      received_at timestamptz NOT NULL
    )`,
    `CREATE INDEX IF NOT EXISTS "${table}_case" ON "${table}" (case_number)`,
  ];
}
