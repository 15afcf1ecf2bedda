import type { Database, Queryable } from '../db/database';
import type { SearchPurpose } from '../audit/searchPurpose';
import { advisoryLockKey } from '../db/advisoryLockKey';

/**
 * What a sweep is and what it found, in PostgreSQL (PGlite embedded by default), beside the
 * job queue that runs it. Three tables:
 * - `sweeps`: one per sweep a court started: who, why (purpose), which cases (selection);
 * - `sweep_cases`: one per case of a sweep, its state (QUEUED, DONE, FAILED) and the agencies
 *   still failing for it, so progress is a count, not a scan of the queue;
 * - `case_searches`: one per search of a case's debtors: when, which agencies answered and
 *   which failed, the assets found by kind and value, and the audit record's request id.
 * The sweep subgraph reads them (sweep progress, a case's searches); the workers write the
 * results. Writes take the caller's transaction, so the jobs they enqueue commit with them.
 */

/** The cases a sweep searches: a list, those filed since a day, or every active one of the court. */
export type SweepSelection =
  | { kind: 'cases'; caseNumbers: readonly string[] }
  | { kind: 'filedSince'; date: string }
  | { kind: 'allActive' };

export interface Sweep {
  id: string;
  court: string;
  /** The officer who started it (its searches run under the court's sweep credential). */
  officer: string;
  /** The client's id for the start: the same id starts nothing new. */
  requestId: string;
  purpose: SearchPurpose;
  selection: SweepSelection;
  /** Cases in the sweep; null until the selection is known (a docket still being read). */
  total: number | null;
  createdAt: Date;
}

export const SWEEP_CASE_STATES = ['QUEUED', 'DONE', 'FAILED'] as const;
export type SweepCaseState = (typeof SWEEP_CASE_STATES)[number];

/** The asset kinds a search tallies; `INCOME` is a wage or pension the court may withhold (its value: the monthly amount). */
export const ASSET_KINDS = ['BANK_ACCOUNT', 'REAL_ESTATE', 'VEHICLE', 'SHAREHOLDING', 'INCOME', 'HOUSING_FUND'] as const;
export type AssetKind = (typeof ASSET_KINDS)[number];

/** How many assets of a kind a search found and what they are worth where the agency says (fen, exact). */
export interface AssetTally {
  kind: AssetKind;
  count: number;
  /** Sum of the values the agencies gave (balances; for INCOME the monthly amounts), in integer fen; null when none gives a value. */
  valueFen: number | null;
}

export interface CaseSearch {
  id: string;
  sweepId: string | null;
  caseNumber: string;
  court: string;
  purpose: SearchPurpose;
  at: Date;
  /** Debtors searched. */
  debtors: number;
  agenciesAnswered: string[];
  agenciesFailed: string[];
  assets: AssetTally[];
  /** The gateway's audit record of the search (its request id), to quote. */
  auditRequestId: string;
}

export interface SweepCase {
  caseNumber: string;
  state: SweepCaseState;
  /** Agencies (by subgraph; one bank as bank:<code>) whose part of the case is still to be searched. */
  agenciesFailing: string[];
  /** Why it FAILED without a search to show (closed meanwhile, refused); null otherwise. */
  reason: string | null;
  finishedAt: Date | null;
}

export interface SweepProgress {
  total: number | null;
  done: number;
  failed: number;
  queued: number;
  /** Agencies failing for cases still queued, each with how many cases wait on it. */
  agenciesFailing: { agency: string; cases: number }[];
  /** When the last case finished; null while none has. */
  lastFinishedAt: Date | null;
}

export interface SweepStoreOptions {
  /** Prefixed to the three table names (tests: tables of their own). @default '' */
  tablePrefix?: string;
}

export class SweepStore {
  private readonly sweeps: string;
  private readonly cases: string;
  private readonly searches: string;

  private constructor(
    private readonly db: Database,
    prefix: string,
  ) {
    this.sweeps = `${prefix}sweeps`;
    this.cases = `${prefix}sweep_cases`;
    this.searches = `${prefix}case_searches`;
  }

  /** Opens the store, creating its tables if missing (replicas starting together take turns). */
  static async open(db: Database, options: SweepStoreOptions = {}): Promise<SweepStore> {
    const prefix = options.tablePrefix ?? '';
    if (!/^[a-z0-9_]{0,32}$/.test(prefix)) throw new Error(`Sweep table prefix "${prefix}" is not allowed: lowercase letters, digits and _, at most 32.`);
    const store = new SweepStore(db, prefix);
    await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [advisoryLockKey('sweep-store', prefix)]);
      for (const statement of store.createStatements()) await tx.query(statement);
    });
    return store;
  }

  private createStatements(): string[] {
    const { sweeps, cases, searches } = this;
    return [
      `CREATE TABLE IF NOT EXISTS "${sweeps}" (
        id text PRIMARY KEY,
        court text NOT NULL,
        officer text NOT NULL,
        request_id text NOT NULL,
        purpose text NOT NULL,
        selection jsonb NOT NULL,
        total integer,
        created_at timestamptz NOT NULL,
        UNIQUE (court, request_id)
      )`,
      `CREATE TABLE IF NOT EXISTS "${cases}" (
        sweep_id text NOT NULL REFERENCES "${sweeps}" (id),
        case_number text NOT NULL,
        state text NOT NULL CHECK (state IN (${SWEEP_CASE_STATES.map((s) => `'${s}'`).join(', ')})),
        agencies_failing text[] NOT NULL DEFAULT '{}',
        reason text,
        finished_at timestamptz,
        PRIMARY KEY (sweep_id, case_number)
      )`,
      `CREATE TABLE IF NOT EXISTS "${searches}" (
        id text PRIMARY KEY,
        sweep_id text REFERENCES "${sweeps}" (id),
        case_number text NOT NULL,
        court text NOT NULL,
        purpose text NOT NULL,
        at timestamptz NOT NULL,
        debtors integer NOT NULL,
        agencies_answered text[] NOT NULL,
        agencies_failed text[] NOT NULL,
        assets jsonb NOT NULL,
        audit_request_id text NOT NULL
      )`,
      `CREATE INDEX IF NOT EXISTS "${searches}_case" ON "${searches}" (case_number, at)`,
    ];
  }

  /**
   * Records a sweep, or finds the one this court already started under the same request id
   * (`created: false`): a client's retry starts nothing twice.
   */
  async createSweep(tx: Queryable, sweep: Omit<Sweep, 'total'> & { total: number | null }): Promise<{ sweep: Sweep; created: boolean }> {
    const inserted = await tx.query<SweepRowShape>(
      `INSERT INTO "${this.sweeps}" (id, court, officer, request_id, purpose, selection, total, created_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8) ON CONFLICT (court, request_id) DO NOTHING RETURNING *`,
      [sweep.id, sweep.court, sweep.officer, sweep.requestId, sweep.purpose, JSON.stringify(sweep.selection), sweep.total, sweep.createdAt],
    );
    if (inserted.rows[0]) return { sweep: sweepOf(inserted.rows[0]), created: true };
    const { rows } = await tx.query<SweepRowShape>(`SELECT * FROM "${this.sweeps}" WHERE court = $1 AND request_id = $2`, [sweep.court, sweep.requestId]);
    return { sweep: sweepOf(rows[0]!), created: false };
  }

  /** Adds cases to a sweep as QUEUED, those already in it left alone; returns the case numbers added and sets the total. */
  async addCases(tx: Queryable, sweepId: string, caseNumbers: readonly string[], final: boolean): Promise<string[]> {
    const { rows } = await tx.query<{ case_number: string }>(
      `INSERT INTO "${this.cases}" (sweep_id, case_number, state)
       SELECT $1, n, 'QUEUED' FROM unnest($2::text[]) AS n
       ON CONFLICT (sweep_id, case_number) DO NOTHING RETURNING case_number`,
      [sweepId, [...new Set(caseNumbers)]],
    );
    if (final) {
      await tx.query(`UPDATE "${this.sweeps}" SET total = (SELECT count(*)::int FROM "${this.cases}" WHERE sweep_id = $1) WHERE id = $1`, [sweepId]);
    }
    return rows.map((r) => r.case_number);
  }

  async sweep(id: string): Promise<Sweep | null> {
    const { rows } = await this.db.query<SweepRowShape>(`SELECT * FROM "${this.sweeps}" WHERE id = $1`, [id]);
    return rows[0] ? sweepOf(rows[0]) : null;
  }

  /**
   * Stores one search of a case and moves the case's state in the sweep: DONE when every
   * agency answered, FAILED when agencies still failed and no retry is left, otherwise QUEUED
   * with the agencies it waits on.
   */
  async recordSearch(tx: Queryable, search: CaseSearch, state: SweepCaseState): Promise<void> {
    await tx.query(
      `INSERT INTO "${this.searches}" (id, sweep_id, case_number, court, purpose, at, debtors, agencies_answered, agencies_failed, assets, audit_request_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text[], $9::text[], $10::jsonb, $11)`,
      [
        search.id,
        search.sweepId,
        search.caseNumber,
        search.court,
        search.purpose,
        search.at,
        search.debtors,
        search.agenciesAnswered,
        search.agenciesFailed,
        JSON.stringify(search.assets),
        search.auditRequestId,
      ],
    );
    if (search.sweepId !== null) {
      await tx.query(
        `UPDATE "${this.cases}" SET state = $3, agencies_failing = $4::text[], finished_at = CASE WHEN $3 = 'QUEUED' THEN NULL ELSE $5::timestamptz END
         WHERE sweep_id = $1 AND case_number = $2`,
        [search.sweepId, search.caseNumber, state, state === 'DONE' ? [] : search.agenciesFailed, search.at],
      );
    }
  }

  /**
   * Gives a case up without a search to record (closed since the sweep began, or refused):
   * FAILED, with the reason (the answer's error codes and message).
   */
  async failCase(tx: Queryable, sweepId: string, caseNumber: string, reason: string, at: Date): Promise<void> {
    await tx.query(`UPDATE "${this.cases}" SET state = 'FAILED', reason = $3, finished_at = $4 WHERE sweep_id = $1 AND case_number = $2`, [sweepId, caseNumber, reason, at]);
  }

  /** The state of one case in a sweep; null if the case is not in it. */
  async caseState(sweepId: string, caseNumber: string, tx: Queryable = this.db): Promise<SweepCaseState | null> {
    return (await this.sweepCase(sweepId, caseNumber, tx))?.state ?? null;
  }

  /** One case of a sweep: its state, the agencies it still waits on, why it failed. */
  async sweepCase(sweepId: string, caseNumber: string, tx: Queryable = this.db): Promise<SweepCase | null> {
    const { rows } = await tx.query<{ state: SweepCaseState; agencies_failing: string[]; reason: string | null; finished_at: Date | null }>(
      `SELECT state, agencies_failing, reason, finished_at FROM "${this.cases}" WHERE sweep_id = $1 AND case_number = $2`,
      [sweepId, caseNumber],
    );
    const r = rows[0];
    return r ? { caseNumber, state: r.state, agenciesFailing: r.agencies_failing, reason: r.reason, finishedAt: r.finished_at } : null;
  }

  async progress(sweepId: string): Promise<SweepProgress> {
    const { rows } = await this.db.query<{ total: number | null; done: number; failed: number; queued: number; last: Date | null }>(
      `SELECT s.total,
              count(*) FILTER (WHERE c.state = 'DONE')::int AS done,
              count(*) FILTER (WHERE c.state = 'FAILED')::int AS failed,
              count(*) FILTER (WHERE c.state = 'QUEUED')::int AS queued,
              max(c.finished_at) AS last
       FROM "${this.sweeps}" s LEFT JOIN "${this.cases}" c ON c.sweep_id = s.id
       WHERE s.id = $1 GROUP BY s.total`,
      [sweepId],
    );
    const { rows: failing } = await this.db.query<{ agency: string; cases: number }>(
      `SELECT agency, count(*)::int AS cases FROM "${this.cases}", unnest(agencies_failing) AS agency
       WHERE sweep_id = $1 AND state = 'QUEUED' GROUP BY agency ORDER BY agency`,
      [sweepId],
    );
    const r = rows[0];
    return {
      total: r?.total ?? null,
      done: r?.done ?? 0,
      failed: r?.failed ?? 0,
      queued: r?.queued ?? 0,
      agenciesFailing: failing,
      lastFinishedAt: r?.last ?? null,
    };
  }

  /** A case's searches, newest first (every sweep and follow-up of it). */
  async searchesOf(caseNumber: string): Promise<CaseSearch[]> {
    const { rows } = await this.db.query<SearchRowShape>(`SELECT * FROM "${this.searches}" WHERE case_number = $1 ORDER BY at DESC, id`, [caseNumber]);
    return rows.map(searchOf);
  }
}

interface SweepRowShape {
  id: string;
  court: string;
  officer: string;
  request_id: string;
  purpose: SearchPurpose;
  selection: SweepSelection | string;
  total: number | null;
  created_at: Date;
}

interface SearchRowShape {
  id: string;
  sweep_id: string | null;
  case_number: string;
  court: string;
  purpose: SearchPurpose;
  at: Date;
  debtors: number;
  agencies_answered: string[];
  agencies_failed: string[];
  assets: AssetTally[] | string;
  audit_request_id: string;
}

/** jsonb arrives parsed from pg and PGlite alike; a string is parsed for safety. */
const json = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);

function sweepOf(row: SweepRowShape): Sweep {
  return {
    id: row.id,
    court: row.court,
    officer: row.officer,
    requestId: row.request_id,
    purpose: row.purpose,
    selection: json(row.selection),
    total: row.total,
    createdAt: row.created_at,
  };
}

function searchOf(row: SearchRowShape): CaseSearch {
  return {
    id: row.id,
    sweepId: row.sweep_id,
    caseNumber: row.case_number,
    court: row.court,
    purpose: row.purpose,
    at: row.at,
    debtors: row.debtors,
    agenciesAnswered: row.agencies_answered,
    agenciesFailed: row.agencies_failed,
    assets: json(row.assets),
    auditRequestId: row.audit_request_id,
  };
}
