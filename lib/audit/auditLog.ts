import type { Database } from '../db/openDatabase';
import type { AuditRecordInput } from './auditRecord';
import { AuditChain, type AuditChainOptions, type VerifyResult } from './auditChain';
import { type AccessesOfOptions, type AuditEntry, AuditReader, type ReviewOfOptions } from './auditReader';
import { AuditStore } from './auditStore';
import { type AppendResult, AuditWriter, type AuditWriterOptions } from './auditWriter';

export interface AuditLogOptions extends AuditWriterOptions, AuditChainOptions {
  /** Table name: lowercase letters, digits, `_`; at most 48 characters. @default 'audit_log' */
  table?: string;
  /**
   * Create the table and its guard if missing (needs a role that may create them). `false`
   * for read-only tools: the table must exist. Either way an installed log is not changed.
   * @default true
   */
  create?: boolean;
}

/**
 * The audit log opened once, whole: its table installed (auditStore.ts), one writer whose
 * appends share one group commit (auditWriter.ts), its readers (auditReader.ts) and its
 * chain's check (auditChain.ts). It holds no logic of its own, so that the gateway, its
 * tests and `audit:verify` keep one object; code that needs one part takes that part's type
 * (the audit subgraph opens an `AuditReader` alone, the checkpoints need only `chainHead`).
 */
export class AuditLog {
  private constructor(
    private readonly store: AuditStore,
    private readonly writer: AuditWriter,
    private readonly reader: AuditReader,
    private readonly chain: AuditChain,
  ) {}

  /** Creates the table, its indexes and its append-only guard if any is missing (unless `create: false`). */
  static async open(db: Database, options: AuditLogOptions = {}): Promise<AuditLog> {
    // Every option is checked before the database is touched.
    const store = new AuditStore(db, options.table);
    const chain = new AuditChain(store, options);
    const writer = new AuditWriter(store, options);
    await store.install({ create: options.create ?? true });
    return new AuditLog(store, writer, new AuditReader(store), chain);
  }

  get table(): string {
    return this.store.table;
  }

  /** AuditWriter.append: resolves once the record is committed; rejects if it cannot be (fail closed). */
  append(input: AuditRecordInput): Promise<AppendResult> {
    return this.writer.append(input);
  }

  /** AuditChain.verify. */
  verify(): Promise<VerifyResult> {
    return this.chain.verify();
  }

  /** AuditChain.chainHead. */
  chainHead(upTo?: number): Promise<{ id: number; hash: string } | undefined> {
    return this.chain.chainHead(upTo);
  }

  /** AuditReader.accessesOf. */
  accessesOf(subject: string, options?: AccessesOfOptions): Promise<AuditEntry[]> {
    return this.reader.accessesOf(subject, options);
  }

  /** AuditReader.accessesInCases. */
  accessesInCases(caseNumbers: readonly string[], fields: readonly string[], options?: AccessesOfOptions): Promise<AuditEntry[]> {
    return this.reader.accessesInCases(caseNumbers, fields, options);
  }

  /** AuditReader.reviewOf. */
  reviewOf(court: string, options?: ReviewOfOptions): Promise<AuditEntry[]> {
    return this.reader.reviewOf(court, options);
  }

  /** AuditReader.unfinished. */
  unfinished(options?: ReviewOfOptions): Promise<AuditEntry[]> {
    return this.reader.unfinished(options);
  }
}
