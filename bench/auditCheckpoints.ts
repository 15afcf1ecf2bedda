/**
 * What audit checkpoints cost the request path: `AuditLog.append` latency (what every answer
 * waits for) with the checkpointer off and on, side by side in one run.
 *
 *   npx tsx bench/auditCheckpoints.ts                          # PGlite on disk, about a minute
 *   npx tsx bench/auditCheckpoints.ts --duration 5 --rounds 5 --concurrency 32 --interval 100
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/auditCheckpoints.ts
 *
 * | flag | default | meaning |
 * |---|---|---|
 * | `--duration` | 4 | seconds per measured run |
 * | `--rounds` | 3 | rounds; each runs every variant once, the order rotating |
 * | `--concurrency` | 32 | appenders, each appending again as soon as its last append committed |
 * | `--interval` | 100 | checkpoint interval in ms: 100 times the default 10 s, so any interference shows |
 * | `--database-url` | `DATABASE_URL`, else PGlite on disk | where the log lives |
 * | `--tag` | | appended to the results file's name |
 *
 * Variants: `off` (no checkpointer), `on` (signed checkpoints appended to a file, synced),
 * `on+tsa` (each also time-stamped by the TSA emulator, which runs in this process: its
 * signing is charged to the measured process, so this overstates a real TSA's cost). Each
 * variant appends to a table of its own in the same database. Reported per variant: appends,
 * appends/s, append p50/p99/max (ms), checkpoints written and how long one took (p50, from
 * reading the head to the line on disk); and per round the ratios on ÷ off of p50 and p99,
 * their median across rounds. Writes bench/results/<date>-audit-checkpoints[-tag].json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { AuditLog } from '../lib/audit/auditLog';
import { operationHash } from '../lib/audit/auditRecord';
import { AuditCheckpointer } from '../lib/audit/checkpoints/auditCheckpointer';
import { loadCheckpointKey } from '../lib/audit/checkpoints/checkpointKey';
import { CheckpointFile, type StoredCheckpoint } from '../lib/audit/checkpoints/checkpointStore';
import { openDatabase } from '../lib/db/openDatabase';
import { startTsaEmulator } from '../mocks/tsa/server';
import { median, percentile, round } from './lib/measure';

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '32' },
    interval: { type: 'string', default: '100' },
    'database-url': { type: 'string' },
    tag: { type: 'string' },
  },
});
const config = {
  durationS: Number(flags.duration),
  rounds: Number(flags.rounds),
  concurrency: Number(flags.concurrency),
  intervalMs: Number(flags.interval),
  databaseUrl: flags['database-url'] ?? (process.env.DATABASE_URL || undefined),
};

const VARIANTS = ['off', 'on', 'on+tsa'] as const;
type Variant = (typeof VARIANTS)[number];

interface RunResult {
  variant: Variant;
  round: number;
  appends: number;
  appendsPerS: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  checkpoints: number;
  stamped: number;
  checkpointP50Ms: number | null;
}

const OPERATION_HASH = operationHash('query Dossier { case(caseNumber: $case) { debtors { ... } } }');

async function main(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'bench-audit-checkpoints-'));
  const db = await openDatabase({ url: config.databaseUrl ?? `pglite://${encodeURI(join(scratch, 'db'))}` });
  const tsa = await startTsaEmulator();
  const key = await loadCheckpointKey({ kind: 'development', dir: join(scratch, 'key') });
  const tag = Math.random().toString(16).slice(2, 10);
  const tables = Object.fromEntries(VARIANTS.map((v) => [v, `bench_ckpt_${v.replace(/\W/g, '_')}_${tag}`])) as Record<Variant, string>;
  const results: RunResult[] = [];
  try {
    const logs = {} as Record<Variant, AuditLog>;
    for (const variant of VARIANTS) logs[variant] = await AuditLog.open(db, { table: tables[variant] });
    // Warm-up: the first statements of a table (plans, pool) are not what is measured.
    for (const variant of VARIANTS) await load(logs[variant], 1);

    for (let round = 0; round < config.rounds; round += 1) {
      const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]!);
      for (const variant of order) {
        results.push(await measure(variant, round, logs[variant], { key, tsaUrl: tsa.url, dir: join(scratch, 'checkpoints') }));
        const r = results[results.length - 1]!;
        console.log(`round ${round + 1} ${variant.padEnd(7)} ${String(r.appends).padStart(7)} appends  p50 ${r.p50Ms.toFixed(2)} ms  p99 ${r.p99Ms.toFixed(2)} ms  max ${r.maxMs.toFixed(1)} ms  checkpoints ${r.checkpoints}`);
      }
    }
    for (const variant of VARIANTS) {
      const verified = await logs[variant].verify();
      if (!verified.ok) throw new Error(`the ${variant} chain does not verify: ${JSON.stringify(verified)}`);
    }
  } finally {
    for (const table of Object.values(tables)) {
      await db.query(`DROP TABLE IF EXISTS "${table}"`).catch(() => {});
      await db.query(`DROP FUNCTION IF EXISTS "${table}_append_only"()`).catch(() => {});
    }
    await db.close();
    await tsa.close();
    rmSync(scratch, { recursive: true, force: true });
  }
  report(results);
}

/** One run: `concurrency` appenders for `durationS`, with the variant's checkpointer beside them. */
async function measure(variant: Variant, round: number, log: AuditLog, setup: { key: Awaited<ReturnType<typeof loadCheckpointKey>>; tsaUrl: string; dir: string }): Promise<RunResult> {
  const file = variant === 'off' ? undefined : await CheckpointFile.open(setup.dir, log.table, { instance: `round-${round}` });
  const checkpointMs: number[] = [];
  // Timed from reading the head to the line on disk: the store's append is the last step.
  let started = 0;
  const store = file && {
    append: async (entry: StoredCheckpoint) => {
      await file.append(entry);
      checkpointMs.push(performance.now() - started);
    },
  };
  const checkpointer =
    store &&
    new AuditCheckpointer({
      log: { table: log.table, chainHead: (upTo?: number) => ((started = performance.now()), log.chainHead(upTo)) },
      key: setup.key,
      store,
      intervalMs: config.intervalMs,
      ...(variant === 'on+tsa' ? { tsa: { url: setup.tsaUrl, timeoutMs: 5000 } } : {}),
    });
  checkpointer?.start();
  const { latencies, elapsedS } = await load(log, config.durationS);
  await checkpointer?.stop();
  await file?.close();
  return {
    variant,
    round,
    appends: latencies.length,
    appendsPerS: round2(latencies.length / elapsedS),
    p50Ms: round2(percentile(latencies, 50)),
    p99Ms: round2(percentile(latencies, 99)),
    maxMs: round2(Math.max(...latencies)),
    checkpoints: checkpointer?.stats.written ?? 0,
    stamped: checkpointer?.stats.stamped ?? 0,
    checkpointP50Ms: checkpointMs.length > 0 ? round2(percentile(checkpointMs, 50)) : null,
  };
}

/** Closed loop: each appender appends again once its last append has committed. */
async function load(log: AuditLog, durationS: number): Promise<{ latencies: number[]; elapsedS: number }> {
  const latencies: number[] = [];
  const start = performance.now();
  const deadline = start + durationS * 1000;
  let n = 0;
  await Promise.all(
    Array.from({ length: config.concurrency }, async () => {
      while (performance.now() < deadline) {
        n += 1;
        const t0 = performance.now();
        await log.append({
          at: new Date().toISOString(),
          requestId: `bench-${n}`,
          caller: { kind: 'court', court: '浙0106', officer: '浙0106-007' },
          caseNumber: '(2025)浙0106执1001号',
          subjects: ['330106197504189356'],
          operationName: 'Dossier',
          operationHash: OPERATION_HASH,
          fields: ['Query.case', 'EnforcementCase.debtors', 'Person.bankAccounts'],
          agencies: ['court', 'bank'],
          outcome: 'ANSWERED',
          errorCodes: [],
          latencyMs: 42,
        });
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies, elapsedS: (performance.now() - start) / 1000 };
}

function report(results: RunResult[]): void {
  const byVariant = (variant: Variant) => results.filter((r) => r.variant === variant);
  const ratios = (variant: Variant, field: 'p50Ms' | 'p99Ms') =>
    round(median(byVariant(variant).map((r) => r[field] / results.find((o) => o.variant === 'off' && o.round === r.round)![field])));
  const summary = VARIANTS.map((variant) => {
    const runs = byVariant(variant);
    return {
      variant,
      appendsPerS: round(median(runs.map((r) => r.appendsPerS)), 0),
      p50Ms: round(median(runs.map((r) => r.p50Ms))),
      p99Ms: round(median(runs.map((r) => r.p99Ms))),
      maxMs: round(Math.max(...runs.map((r) => r.maxMs)), 1),
      checkpoints: runs.reduce((s, r) => s + r.checkpoints, 0),
      stamped: runs.reduce((s, r) => s + r.stamped, 0),
      checkpointP50Ms: variant === 'off' ? null : round(median(runs.map((r) => r.checkpointP50Ms ?? NaN))),
      p50VsOff: variant === 'off' ? 1 : ratios(variant, 'p50Ms'),
      p99VsOff: variant === 'off' ? 1 : ratios(variant, 'p99Ms'),
    };
  });
  console.log(`\nappend latency, ${config.concurrency} appenders, checkpoints every ${config.intervalMs} ms, ${config.rounds} rounds of ${config.durationS} s, ${config.databaseUrl ? 'PostgreSQL' : 'PGlite on disk'} (medians across rounds; ratios within a round)`);
  console.log('variant  appends/s  p50 ms  p99 ms  max ms  checkpoints (stamped)  one checkpoint p50 ms  p50 vs off  p99 vs off');
  for (const s of summary) {
    console.log(
      `${s.variant.padEnd(8)} ${String(s.appendsPerS).padStart(9)} ${s.p50Ms.toFixed(2).padStart(7)} ${s.p99Ms.toFixed(2).padStart(7)} ${s.maxMs.toFixed(1).padStart(7)} ${`${s.checkpoints} (${s.stamped})`.padStart(21)} ${(s.checkpointP50Ms === null ? '-' : s.checkpointP50Ms.toFixed(2)).padStart(22)} ${s.p50VsOff.toFixed(2).padStart(11)} ${s.p99VsOff.toFixed(2).padStart(11)}`,
    );
  }
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${new Date().toISOString().slice(0, 10)}-audit-checkpoints${flags.tag ? `-${flags.tag}` : ''}.json`);
  writeFileSync(file, `${JSON.stringify({ config: { ...config, databaseUrl: config.databaseUrl ? 'postgres' : 'pglite' }, summary, runs: results }, null, 2)}\n`);
  console.log(`\nwritten to ${file}`);
}

function round2(value: number): number {
  return round(value, 2);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
