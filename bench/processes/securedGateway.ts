/**
 * This project's gateway with everything on (token check, case binding, limits, rate limit,
 * signed subgraph calls, request log, audit), started by `startGateway` as `npm start` does,
 * alone in its process.
 *
 * Benchmark-only adjustments, all made here and nowhere in the gateway:
 * - the per-court rate budget is raised (the limiter still counts every request): the
 *   default 600 a minute would refuse most of a load test;
 * - `audit: 'off'` makes the audit log's append a no-op, `'unbatched'` writes each record in
 *   a commit of its own (group commit off), and `'legacy'` appends as the log did before
 *   group commit (a transaction of five statements per record), to measure what the audit costs;
 * - `observe: 'none'` turns the request and subgraph-call series off (GatewayConfig.collectMetrics),
 *   `'traces'` adds tracing exported over OTLP, to measure what metrics and traces cost.
 */
import { AUTH_DEFAULTS } from '../../gateway/auth/authConfig';
import { AuditLog, type AuditLogOptions } from '../../lib/audit/auditLog';
import { type AuditRecordInput, canonicalAuditRecord, chainHash, GENESIS_HASH, normaliseAuditRecord } from '../../lib/audit/auditRecord';
import type { AuditStore } from '../../lib/audit/auditStore';
import type { AppendResult } from '../../lib/audit/auditWriter';
import { startGateway } from '../../gateway/createGateway';
import { RATE_LIMIT_DEFAULTS } from '../../gateway/plugins/rateLimit';
import { SUPERGRAPH_PATH } from '../../schemas/loadSubgraphSdl';
import { startTracing } from '../../lib/tracing/tracing';
import { serveChild } from '../lib/child';
import { startDiscardingCollector } from '../lib/discardingCollector';

export type AuditMode = 'on' | 'off' | 'unbatched' | 'legacy';
/** What the gateway observes: nothing, its metrics (the default), or metrics and traces exported over OTLP. */
export type ObserveMode = 'none' | 'metrics' | 'traces';

export interface SecuredGatewayArgs {
  subgraphUrls: Record<string, string>;
  secret: string;
  /** postgres://… or pglite:///dir */
  auditDatabaseUrl: string;
  auditTable: string;
  audit: AuditMode;
  /** @default 'metrics' */
  observe?: ObserveMode;
}

serveChild<{ url: string }>(async (args: SecuredGatewayArgs) => {
  RATE_LIMIT_DEFAULTS.court = { points: 1_000_000_000, duration: 60 };
  if (args.audit === 'off') {
    AuditLog.prototype.append = async () => ({ id: 0, hash: '', prevHash: '' });
  } else if (args.audit === 'unbatched') {
    const open = AuditLog.open.bind(AuditLog);
    AuditLog.open = (db, options?: AuditLogOptions) => open(db, { ...options, maxBatchSize: 1 });
  } else if (args.audit === 'legacy') {
    AuditLog.prototype.append = legacyAppend;
  }
  const observe = args.observe ?? 'metrics';
  // Traces go over OTLP/HTTP to a collector in this process that reads and drops them, so the
  // cost measured is the spans, their masking, batching, encoding and sending.
  const collector = observe === 'traces' ? await startDiscardingCollector() : undefined;
  const tracing = collector ? startTracing({ serviceName: 'bench-gateway', otlpEndpoint: collector.url }) : undefined;
  const gateway = await startGateway({
    collectMetrics: observe !== 'none',
    port: 0,
    host: '127.0.0.1',
    production: false,
    supergraphPath: SUPERGRAPH_PATH,
    subgraphUrls: args.subgraphUrls,
    subgraphSecret: args.secret,
    auth: { ...AUTH_DEFAULTS, production: false },
    auditDatabaseUrl: args.auditDatabaseUrl,
    auditTable: args.auditTable,
    redisUrl: undefined,
  });
  return {
    info: { url: gateway.url },
    commands: {
      // In this process: PGlite admits one process, and this one has it open.
      verify: () => gateway.audit.verify(),
      // What the collector received: traces really left (none unless observe is 'traces').
      exported: () => collector?.received() ?? { requests: 0, bytes: 0 },
    },
    onStop: async () => {
      await gateway.stop();
      await tracing?.stop();
      await collector?.close();
    },
  };
});

/**
 * The append before group commit, kept only to measure against: every record in its own
 * transaction that sets the isolation level and lock timeout, takes the table's advisory
 * lock, reads the last record and inserts. Same chain, same table.
 */
async function legacyAppend(this: AuditLog, input: AuditRecordInput): Promise<AppendResult> {
  // The log's own table and lock (private: only this measurement reaches past the writer).
  const { db, lockKey } = (this as unknown as { store: AuditStore }).store;
  const record = normaliseAuditRecord(input);
  const canonical = canonicalAuditRecord(record);
  return db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
    await tx.query("SELECT set_config('lock_timeout', $1, true)", ['5000ms']);
    await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [lockKey]);
    const { rows } = await tx.query<{ id: string; hash: string }>(`SELECT id, hash FROM "${this.table}" ORDER BY id DESC LIMIT 1`);
    const last = rows[0];
    const id = last ? Number(last.id) + 1 : 1;
    const prevHash = last ? last.hash : GENESIS_HASH;
    const hash = chainHash(prevHash, canonical);
    const c = record.caller;
    await tx.query(
      `INSERT INTO "${this.table}" (id, at, request_id, caller_kind, court, officer, citizen_id, case_number,
        subjects, operation_name, operation_hash, fields, agencies, outcome, error_codes, latency_ms, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text[], $10, $11, $12::text[], $13::text[], $14, $15::text[], $16, $17, $18)`,
      [id, record.at, record.requestId, c.kind, c.court, c.officer, c.idNumber, record.caseNumber, record.subjects, record.operationName,
        record.operationHash, record.fields, record.agencies, record.outcome, record.errorCodes, record.latencyMs, prevHash, hash],
    );
    return { id, hash, prevHash };
  });
}
