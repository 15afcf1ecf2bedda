import { Histogram, type Registry } from 'prom-client';
import type { AuditWriteObserver } from '../audit/auditWriter';
import { METRICS_PREFIX } from './metricsRegistry';

/** Commit times of the audit store: a PGlite or PostgreSQL commit takes ms, a store in trouble seconds. */
const WRITE_SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Records per commit, up to the writer's largest batch (AuditWriter: 1000). */
const BATCH_RECORDS_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

/**
 * The audit writer's commits as series (AuditWriterOptions.observer): how long each group
 * commit took, and how many records it carried, by outcome (`ok`, `failed`). Every request's
 * answer waits on one of these commits, so their time is part of every request's latency.
 */
export function auditWriteMetrics(registry: Registry): AuditWriteObserver {
  const seconds = new Histogram({
    name: `${METRICS_PREFIX}audit_write_duration_seconds`,
    help: 'Time of one audit group commit (a batch of records in one statement), by outcome.',
    labelNames: ['outcome'] as const,
    buckets: WRITE_SECONDS_BUCKETS,
    registers: [registry],
  });
  const records = new Histogram({
    name: `${METRICS_PREFIX}audit_batch_records`,
    help: 'Records written by one audit group commit, by outcome.',
    labelNames: ['outcome'] as const,
    buckets: BATCH_RECORDS_BUCKETS,
    registers: [registry],
  });
  return {
    batchWritten(batch) {
      const outcome = batch.ok ? 'ok' : 'failed';
      seconds.observe({ outcome }, batch.seconds);
      records.observe({ outcome }, batch.records);
    },
  };
}
