import type { Database } from '../db/openDatabase';
import type { AuditRecord, FinalOutcome } from './auditRecord';
import { type AuditRow, AuditStore, toRecord } from './auditStore';

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

/**
 * The readers' filter to one entry per request: a final record, or an intent whose request
 * has no final record (by the `request_id` index). The table is aliased `r` in the readers.
 */
const ONE_PER_REQUEST = (table: string) =>
  `(r.outcome <> 'INTENT' OR NOT EXISTS (SELECT 1 FROM "${table}" f WHERE f.request_id = r.request_id AND f.outcome <> 'INTENT'))`;

/**
 * The audit log's queries: who reached a citizen, what a court's callers asked, which
 * requests were cut off. Reads only, one entry per request.
 */
export class AuditReader {
  constructor(private readonly store: AuditStore) {}

  /**
   * A reader of an audit table that exists (it creates and changes nothing; the gateway
   * creates the table): what the audit subgraph opens.
   */
  static async open(db: Database, options: { table?: string } = {}): Promise<AuditReader> {
    const store = new AuditStore(db, options.table);
    await store.install({ create: false });
    return new AuditReader(store);
  }

  get table(): string {
    return this.store.table;
  }

  /**
   * False only for a table made before purposes, read before any gateway upgraded it: every
   * purpose then reads as null. A long-lived reader opens again until this holds.
   */
  get readsPurposes(): boolean {
    return this.store.hasPurposeColumn;
  }

  /** Requests that reached this ID number or credit code at the root, one entry each, newest first. */
  async accessesOf(subject: string, options: AccessesOfOptions = {}): Promise<AuditEntry[]> {
    const { db, table } = this.store;
    const { rows } = await db.query<AuditRow>(
      `SELECT ${this.store.selectColumns} FROM "${table}" r
       WHERE subjects @> ARRAY[$1]::text[] AND ($2::timestamptz IS NULL OR at <= $2::timestamptz) AND ${ONE_PER_REQUEST(table)}
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
    const { db, table } = this.store;
    const { rows } = await db.query<AuditRow>(
      `SELECT ${this.store.selectColumns} FROM "${table}" r
       WHERE case_number = ANY($1::text[]) AND fields && $2::text[] AND ($3::timestamptz IS NULL OR at <= $3::timestamptz)
         AND ${ONE_PER_REQUEST(table)}
       ORDER BY id DESC LIMIT $4`,
      [caseNumbers, fields, options.until ?? null, options.limit ?? ACCESSES_LIMIT],
    );
    return rows.map(toEntry);
  }

  /** Requests of one court's callers (officers and supervisors acting as the court), one entry each, oldest first. */
  async reviewOf(court: string, options: ReviewOfOptions = {}): Promise<AuditEntry[]> {
    const { db, table } = this.store;
    const { rows } = await db.query<AuditRow>(
      `SELECT ${this.store.selectColumns} FROM "${table}" r
       WHERE court = $1 AND ($2::timestamptz IS NULL OR at >= $2::timestamptz) AND ($3::timestamptz IS NULL OR at < $3::timestamptz)
         AND ${ONE_PER_REQUEST(table)}
       ORDER BY id LIMIT $4`,
      [court, options.from ?? null, options.to ?? null, options.limit ?? REVIEW_LIMIT],
    );
    return rows.map(toEntry);
  }

  /** Requests cut off between intent and final record (outcome `UNFINISHED`), oldest first. */
  async unfinished(options: ReviewOfOptions = {}): Promise<AuditEntry[]> {
    const { db, table } = this.store;
    const { rows } = await db.query<AuditRow>(
      `SELECT ${this.store.selectColumns} FROM "${table}" r
       WHERE outcome = 'INTENT' AND ${ONE_PER_REQUEST(table)}
         AND ($1::timestamptz IS NULL OR at >= $1::timestamptz) AND ($2::timestamptz IS NULL OR at < $2::timestamptz)
       ORDER BY id LIMIT $3`,
      [options.from ?? null, options.to ?? null, options.limit ?? REVIEW_LIMIT],
    );
    return rows.map(toEntry);
  }
}

function toEntry(row: AuditRow): AuditEntry {
  const record = toRecord(row);
  return { id: Number(row.id), hash: row.hash, prevHash: row.prev_hash, ...record, outcome: record.outcome === 'INTENT' ? 'UNFINISHED' : record.outcome };
}
