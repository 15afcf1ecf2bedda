import { canonicalAuditRecord, chainHash, GENESIS_HASH } from './auditRecord';
import { type AuditRow, type AuditStore, toRecord } from './auditStore';

/**
 * - `HASH_MISMATCH`: the record's fields no longer give its stored hash (a field was changed).
 * - `CHAIN_BROKEN`: its previous hash is not the hash of the record before it.
 * - `GAP`: the record with this id is missing (ids run 1, 2, 3, … without holes).
 */
export type AuditBreak = 'HASH_MISMATCH' | 'CHAIN_BROKEN' | 'GAP';

/** `count`: records checked and found intact (when broken: those before the first break). */
export type VerifyResult = { ok: true; count: number } | { ok: false; count: number; firstBroken: { id: number; reason: AuditBreak } };

export interface AuditChainOptions {
  /** Records `verify` reads per query. @default 1000 */
  verifyPageSize?: number;
}

const DEFAULT_VERIFY_PAGE_SIZE = 1000;

/**
 * The hash chain as stored, read back: `verify` walks it, `chainHead` reads where it ends
 * (what a checkpoint signs, checkpoints/, and what a checkpoint is compared with). Reads only.
 */
export class AuditChain {
  private readonly verifyPageSize: number;

  /** Checks the options only. */
  constructor(
    private readonly store: AuditStore,
    options: AuditChainOptions = {},
  ) {
    this.verifyPageSize = options.verifyPageSize ?? DEFAULT_VERIFY_PAGE_SIZE;
    if (!Number.isSafeInteger(this.verifyPageSize) || this.verifyPageSize < 1) {
      throw new Error('AuditLog verifyPageSize must be a positive integer.');
    }
  }

  get table(): string {
    return this.store.table;
  }

  /**
   * Walks the chain in id order, `verifyPageSize` records per query, and stops at the first
   * record that is missing, out of chain, or changed. Removing the newest records leaves a
   * shorter valid chain: compare `count` with a count kept elsewhere (a checkpoint) to catch that.
   */
  async verify(): Promise<VerifyResult> {
    const { db, table } = this.store;
    const pageSize = this.verifyPageSize;
    let count = 0;
    let expectedId = 1;
    let prevHash = GENESIS_HASH;
    let afterId = '-9223372036854775808';
    for (;;) {
      const { rows } = await db.query<AuditRow>(`SELECT ${this.store.selectColumns} FROM "${table}" WHERE id > $1 ORDER BY id LIMIT $2`, [afterId, pageSize]);
      for (const row of rows) {
        const id = Number(row.id);
        if (id > expectedId) return { ok: false, count, firstBroken: { id: expectedId, reason: 'GAP' } };
        if (id < expectedId || row.prev_hash !== prevHash) return { ok: false, count, firstBroken: { id, reason: 'CHAIN_BROKEN' } };
        if (chainHash(row.prev_hash, canonicalAuditRecord(toRecord(row))) !== row.hash) {
          return { ok: false, count, firstBroken: { id, reason: 'HASH_MISMATCH' } };
        }
        prevHash = row.hash;
        expectedId = id + 1;
        count += 1;
      }
      const lastRow = rows[rows.length - 1];
      if (rows.length < pageSize || !lastRow) return { ok: true, count };
      afterId = lastRow.id;
    }
  }

  /**
   * The newest committed record's id and hash (with `upTo`: the newest at or before that id),
   * or undefined if there is none: what a checkpoint signs (checkpoints/auditCheckpointer.ts)
   * and what verification compares a checkpoint with (checkpoints/checkpointVerification.ts).
   */
  async chainHead(upTo?: number): Promise<{ id: number; hash: string } | undefined> {
    const { db, table } = this.store;
    // Two statements rather than `$1 IS NULL OR id <= $1`, so each walks the primary key from its bound.
    const { rows } =
      upTo === undefined
        ? await db.query<{ id: string; hash: string }>(`SELECT id, hash FROM "${table}" ORDER BY id DESC LIMIT 1`)
        : await db.query<{ id: string; hash: string }>(`SELECT id, hash FROM "${table}" WHERE id <= $1 ORDER BY id DESC LIMIT 1`, [upTo]);
    const row = rows[0];
    return row ? { id: Number(row.id), hash: row.hash } : undefined;
  }
}
