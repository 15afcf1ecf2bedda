/**
 * `npm run bench`: the court graph under load, against bare Apollo Gateway and Hive Gateway on
 * the same supergraph and subgraphs, in one run, rounds alternating. See bench/README.md.
 *
 *   npm run bench -- --quick                     # smoke run, about two minutes
 *   npm run bench -- --persons 100000 --latency 20 --duration 10 --concurrency 1,8,32,64
 *
 * Writes bench/results/<date>.json (<date>-quick.json for --quick; --tag X adds -X) and prints a table.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { request } from 'undici';
import { readAccessRules } from '../gateway/authorization/accessRules';
import { openDatabase } from '../lib/db/openDatabase';
import { SUPERGRAPH_PATH } from '../schemas/loadSubgraphSdl';
import { HZCB_MAX_BATCH, NCB_MAX_BATCH, RCC_MAX_BATCH, WEB_MAX_BATCH } from '../subgraphs/bank/client';
import { COMMERCE_MAX_BATCH } from '../subgraphs/commerce/client';
import { REAL_ESTATE_MAX_BATCH } from '../subgraphs/realestate/client';
import { HOUSING_FUND_MAX_BATCH, SOCIAL_INSURANCE_MAX_BATCH } from '../subgraphs/social-insurance/client';
import { VEHICLE_MAX_BATCH } from '../subgraphs/vehicle/client';
import { type Child, startChild } from './lib/child';
import { agencyWaves, type LoadResult, median, percentile, post, processMemory, round, runLoad, sampleMemory } from './lib/measure';
import { SWEEP, Workload, type HttpRequest } from './lib/workload';
import type { BackendArgs, BackendInfo, BenchCase, ReplayableCall, TimedCall } from './processes/backend';
import type { AuditMode, ObserveMode, SecuredGatewayArgs } from './processes/securedGateway';
import type { SubgraphsArgs } from './processes/subgraphs';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    persons: { type: 'string', default: '100000' },
    seed: { type: 'string' },
    latency: { type: 'string', default: '20' },
    duration: { type: 'string' },
    rounds: { type: 'string' },
    concurrency: { type: 'string' },
    'audit-concurrency': { type: 'string' },
    'audit-variants': { type: 'string', default: 'off,on,legacy' },
    'database-url': { type: 'string' },
    phases: { type: 'string', default: 'dossier,audit,observe,bulk' },
    'no-peers': { type: 'boolean', default: false },
    'keep-logs': { type: 'boolean', default: false },
    tag: { type: 'string' },
  },
});
const quick = flags.quick === true;
const config = {
  mode: quick ? 'quick' : 'full',
  persons: Number(flags.persons),
  seed: flags.seed === undefined ? undefined : Number(flags.seed),
  latencyMs: Number(flags.latency),
  durationS: Number(flags.duration ?? (quick ? 3 : 6)),
  rounds: Number(flags.rounds ?? (quick ? 2 : 5)),
  concurrency: (flags.concurrency ?? (quick ? '8,32' : '1,8,32,64')).split(',').map(Number),
  auditConcurrency: Number(flags['audit-concurrency'] ?? 32),
  // 'off' first: every other variant's cost is measured against it.
  auditVariants: ['off', ...(flags['audit-variants'] ?? '').split(',').filter((v) => v && v !== 'off')] as AuditMode[],
  // Like the gateway's own configuration: PostgreSQL when DATABASE_URL names one, else PGlite on disk.
  databaseUrl: flags['database-url'] ?? (process.env.DATABASE_URL || undefined),
  phases: new Set((flags.phases ?? '').split(',').filter(Boolean)),
  peers: flags['no-peers'] !== true,
  sweepCases: 10,
  sweepCaseSize: 1000,
};
for (const [name, value] of Object.entries({ persons: config.persons, latency: config.latencyMs, duration: config.durationS, rounds: config.rounds })) {
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a non-negative number`);
}

type GatewayName = 'secured' | 'apollo' | 'hive';
const LABEL: Record<string, string> = {
  secured: 'court gateway, everything on',
  apollo: 'bare @apollo/gateway',
  hive: 'Hive Gateway',
  'audit:off': 'court gateway, audit off',
  'audit:on': 'court gateway, audit on (group commit)',
  'audit:unbatched': 'court gateway, audit, 1 record per commit',
  'audit:legacy': 'court gateway, audit before group commit',
  'observe:none': 'court gateway, no metrics, no traces',
  'observe:metrics': 'court gateway, metrics (default)',
  'observe:traces': 'court gateway, metrics and traces (OTLP)',
};

/**
 * Agency endpoints a sweep reaches, with the batch limit each client keeps to (as
 * test/e2e/batching.test.ts), or a fixed number of calls per request: the court case system
 * is asked for the collective case once (the gateway's case binding), and the debtors' names
 * come from its record, so the identity service is not asked at all.
 */
const SWEEP_ENDPOINTS: { agency: string; emulator: string; path: string; maxBatch: number | null; perRequest?: number }[] = [
  { agency: 'court case', emulator: 'court', path: '/zxaj/v1/cases/batch', maxBatch: null, perRequest: 1 },
  { agency: 'court identities', emulator: 'court', path: '/zxaj/v1/identities', maxBatch: null, perRequest: 0 },
  { agency: 'bank NCB', emulator: 'bank:NCB', path: '/ncb/v3/inquiry/accounts', maxBatch: NCB_MAX_BATCH },
  { agency: 'bank HZCB', emulator: 'bank:HZCB', path: '/api/query', maxBatch: HZCB_MAX_BATCH },
  { agency: 'bank RCC', emulator: 'bank:RCC', path: '/rcc/cx', maxBatch: RCC_MAX_BATCH },
  { agency: 'bank WEB', emulator: 'bank:WEB', path: '/openapi/v1/holdings:batchQuery', maxBatch: WEB_MAX_BATCH },
  { agency: 'real estate', emulator: 'realestate', path: '/bdc/api/qlr/cx', maxBatch: REAL_ESTATE_MAX_BATCH },
  { agency: 'vehicles', emulator: 'vehicle', path: '/jdc/query/byOwner', maxBatch: VEHICLE_MAX_BATCH },
  { agency: 'commerce investors', emulator: 'commerce', path: '/api/v2/investors/batch', maxBatch: COMMERCE_MAX_BATCH },
  { agency: 'commerce legal reps', emulator: 'commerce', path: '/api/v2/lerep/batch', maxBatch: COMMERCE_MAX_BATCH },
  { agency: 'social insurance', emulator: 'social-insurance', path: '/si/exchange/insured', maxBatch: SOCIAL_INSURANCE_MAX_BATCH },
  { agency: 'housing fund', emulator: 'social-insurance', path: '/gjj/api/account/query', maxBatch: HOUSING_FUND_MAX_BATCH },
];

const work = mkdtempSync(join(tmpdir(), 'cag-bench-'));
const children: Child<unknown>[] = [];
const tag = `${Date.now().toString(36)}`;
const auditTables: string[] = [];
/**
 * The subgraphs' time limit per agency call: a 1000-person sweep sends hundreds of agency calls
 * at once; on a loaded 2-core machine some wait for a socket longer than the 5 s default,
 * which is not what is measured.
 */
const BACKEND_AGENCY_TIMEOUT_MS = 20_000;
/** The backend's processes (emulators, subgraphs): their CPU is counted together. */
const backendPids: number[] = [];
const out = (line = '') => process.stdout.write(`${line}\n`);
const step = (what: string) => out(`[${new Date().toISOString().slice(11, 19)}] ${what}`);

async function main(): Promise<void> {
  const started = Date.now();
  out(`bench: ${config.mode} mode, ${config.persons} persons, agency latency ${config.latencyMs} ms, ${config.durationS} s per run, ` +
    `${config.rounds} rounds, concurrency ${config.concurrency.join('/')}, audit on ${config.databaseUrl ? 'PostgreSQL' : 'PGlite (data directory)'}; logs in ${work}`);

  step('starting emulators and subgraphs');
  const backendArgs: BackendArgs = { persons: config.persons, seed: config.seed, latencyMs: config.latencyMs, sweepCases: config.sweepCases, sweepCaseSize: config.sweepCaseSize };
  const backend = await startChild<BackendInfo>('backend', join(__dirname, 'processes/backend.ts'), backendArgs, join(work, 'backend.log'));
  children.push(backend);
  const subgraphsArgs: SubgraphsArgs = { emulatorUrls: backend.info.emulatorUrls, secret: backend.info.secret, agencyTimeoutMs: BACKEND_AGENCY_TIMEOUT_MS };
  const subgraphs = await startChild<{ subgraphUrls: Record<string, string> }>('subgraphs', join(__dirname, 'processes/subgraphs.ts'), subgraphsArgs, join(work, 'subgraphs.log'));
  children.push(subgraphs);
  backendPids.push(backend.pid, subgraphs.pid);
  const info = { ...backend.info, subgraphUrls: subgraphs.info.subgraphUrls };
  step(`backend up: ${info.cases.length} active cases; emulators ${info.memoryMb} MB, subgraphs in a process of their own`);

  // The peers get the supergraph this project's gateway hands its own Apollo Gateway: the
  // checked-in one without the authorization features (no peer could enforce our policies),
  // with the subgraphs' URLs of this run.
  const peerSupergraph = join(work, 'supergraph.graphql');
  writeFileSync(
    peerSupergraph,
    readAccessRules(readFileSync(SUPERGRAPH_PATH, 'utf8')).executableSdl.replace(
      /@join__graph\(name: "([^"]+)", url: "[^"]*"\)/g,
      (_m, name: string) => `@join__graph(name: "${name}", url: "${info.subgraphUrls[name]}")`,
    ),
  );

  const startSecured = (audit: AuditMode, observe: ObserveMode = 'metrics') => {
    // One table per mode: on PostgreSQL the bulk phase's fresh gateway appends to the chain the
    // first one wrote, two gateway processes keeping one chain (verified at the end).
    const auditTable = `bench_audit_${tag}_${audit}`;
    if (!auditTables.includes(auditTable)) auditTables.push(auditTable);
    const args: SecuredGatewayArgs = {
      subgraphUrls: info.subgraphUrls,
      secret: info.secret,
      auditDatabaseUrl: config.databaseUrl ?? `pglite://${join(work, `audit-${audit}-${children.length}`)}`,
      auditTable,
      audit,
      observe,
    };
    return startChild<{ url: string }>(`gateway ${audit} ${observe}`, join(__dirname, 'processes/securedGateway.ts'), args, join(work, `gateway-${audit}-${observe}-${children.length}.log`));
  };
  const startPeer = (name: 'apollo' | 'hive') =>
    startChild<{ url: string }>(name, join(__dirname, `processes/${name}Gateway.ts`), { supergraphPath: peerSupergraph }, join(work, `${name}.log`));

  const workload = new Workload(info.cases, info.secret, config.seed ?? 7);
  await workload.issueTokens(info.sweepCases);

  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    node: process.version,
    config: { ...config, phases: [...config.phases] },
  };
  const unavailable: Record<string, string> = {};

  step('starting gateways');
  const gateways: Partial<Record<GatewayName, Child<{ url: string }>>> = {};
  gateways.secured = await startSecured('on');
  children.push(gateways.secured);
  if (config.peers) {
    for (const name of ['apollo', 'hive'] as const) {
      try {
        gateways[name] = await startPeer(name);
        children.push(gateways[name]!);
      } catch (error) {
        unavailable[name] = error instanceof Error ? error.message : String(error);
        out(`  ${LABEL[name]} could not start: ${unavailable[name]}`);
      }
    }
  }

  // Every gateway must give the same answer for the same case before any number counts.
  step('checking that every gateway answers the dossier alike');
  const requestFor = (name: string, c: BenchCase): HttpRequest => (name === 'secured' || name.startsWith('audit:') || name.startsWith('observe:') ? workload.secured(c) : workload.peer(c));
  const checkCases = [workload.nextCase(), workload.nextCase(), workload.nextCase()];
  const reference = await Promise.all(checkCases.map((c) => post(gateways.secured!.info.url, workload.secured(c))));
  for (const [i, r] of reference.entries()) {
    if (r.status !== 200 || r.body.errors) throw new Error(`our gateway did not answer case ${checkCases[i]!.caseNumber}: ${JSON.stringify(r.body).slice(0, 500)}`);
  }
  for (const name of ['apollo', 'hive'] as const) {
    const child = gateways[name];
    if (!child) continue;
    for (const [i, c] of checkCases.entries()) {
      const r = await post(child.info.url, workload.peer(c));
      if (r.status !== 200 || r.body.errors || JSON.stringify(r.body.data) !== JSON.stringify(reference[i]!.body.data)) {
        unavailable[name] = `answered case ${c.caseNumber} differently: ${JSON.stringify(r.body).slice(0, 300)}`;
        out(`  ${LABEL[name]} excluded: ${unavailable[name]}`);
        await child.stop();
        delete gateways[name];
        break;
      }
    }
  }
  results.unavailable = unavailable;

  if (config.phases.has('dossier')) results.floor = await measureFloor(backend, gateways, workload);
  if (config.phases.has('dossier')) {
    const names = (['secured', 'apollo', 'hive'] as const).filter((n) => gateways[n]);
    results.dossier = await alternate(
      'dossier',
      names.map((n) => ({ name: n, url: gateways[n]!.info.url, pid: gateways[n]!.pid, next: () => requestFor(n, workload.nextCase()) })),
      config.concurrency,
    );
    results.dossierMemory = Object.fromEntries(names.map((n) => [n, processMemory(gateways[n]!.pid)]));
  }
  if (config.phases.has('audit')) {
    step(`audit: gateways with audit ${config.auditVariants.join(', ')}`);
    const variants: { name: string; child: Child<{ url: string }> }[] = [];
    for (const mode of config.auditVariants) {
      const child: Child<{ url: string }> = mode === 'on' ? gateways.secured : await startSecured(mode);
      if (child !== gateways.secured) children.push(child);
      variants.push({ name: `audit:${mode}`, child });
    }
    results.audit = await alternate(
      'audit',
      variants.map((v) => ({ name: v.name, url: v.child.info.url, pid: v.child.pid, next: () => requestFor(v.name, workload.nextCase()) })),
      [config.auditConcurrency],
    );
    results.auditChains = {} as Record<string, unknown>;
    for (const v of variants) {
      if (v.name === 'audit:off') continue;
      (results.auditChains as Record<string, unknown>)[v.name] = await v.child.command('verify');
      if (v.child !== gateways.secured) await v.child.stop();
    }
    for (const v of variants) if (v.name === 'audit:off') await v.child.stop();
  }
  if (config.phases.has('observe')) {
    // 'none' first: the other variants' cost is measured against it. The default gateway is 'metrics'.
    step('observe: gateways without metrics, with metrics, with metrics and traces');
    const variants: { name: string; child: Child<{ url: string }> }[] = [];
    for (const mode of ['none', 'metrics', 'traces'] as const) {
      const child: Child<{ url: string }> = mode === 'metrics' ? gateways.secured : await startSecured('on', mode);
      if (child !== gateways.secured) children.push(child);
      variants.push({ name: `observe:${mode}`, child });
    }
    results.observe = await alternate(
      'observe',
      variants.map((v) => ({ name: v.name, url: v.child.info.url, pid: v.child.pid, next: () => requestFor(v.name, workload.nextCase()) })),
      [config.auditConcurrency],
    );
    results.tracesExported = await variants[2]!.child.command('exported');
    for (const v of variants) if (v.child !== gateways.secured) await v.child.stop();
  }
  if (config.phases.has('bulk')) {
    // A fresh gateway process, so its peak memory is the sweep's.
    for (const name of ['apollo', 'hive'] as const) await gateways[name]?.stop();
    const fresh = await startSecured('on');
    children.push(fresh);
    const idle = processMemory(fresh.pid);
    results.bulk = { gatewayIdleRssMb: idle?.rssMb, ...(await measureBulk(backend, fresh, workload, info.sweepCases)) };
    results.bulkAuditChain = await fresh.command('verify');
    await fresh.stop();
  }
  results.auditChainOn = await gateways.secured.command('verify');
  results.wallSeconds = Math.round((Date.now() - started) / 1000);

  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${new Date().toISOString().slice(0, 10)}${quick ? '-quick' : ''}${flags.tag ? `-${flags.tag.replace(/[^\w.-]/g, '_')}` : ''}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  printTables(results);
  out(`\nresults: ${file} (${results.wallSeconds} s)`);
}

interface Contender {
  name: string;
  url: string;
  pid: number;
  next(): HttpRequest;
}

interface Summary {
  name: string;
  label: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  failed: number;
  graphqlErrors: number;
  runs: LoadResult[];
  /** Median over rounds of CPU ms per request: the gateway's process, and the agencies' + subgraphs' process. */
  gatewayCpuMs: number;
  backendCpuMs: number;
  /** Median over rounds of (gateway + backend CPU per request) ÷ the first contender's, same round. */
  stackCpuOverFirst: number;
  /** Median over rounds of (first contender's req/s ÷ this one's), measured in the same round. */
  firstOverThisRps?: number;
  /** Median over rounds of (this p50 − first contender's p50), ms. */
  p50MinusFirst?: number;
}

/**
 * Runs each contender in turn at each concurrency, `rounds` times, the order rotating every
 * round, so drift of a shared, noisy machine falls on all alike; ratios are taken within a
 * round, then their median.
 */
async function alternate(phase: string, contenders: Contender[], concurrencies: number[]): Promise<Summary[]> {
  const summaries: Summary[] = [];
  for (const connections of concurrencies) {
    step(`${phase}: warming up at ${connections} connections`);
    for (const c of contenders) await runLoad(c.url, connections, Math.min(2, config.durationS), c.next);
    const watch = (c: Contender) => ({ gateway: [c.pid], backend: backendPids });
    const runs = new Map<string, LoadResult[]>(contenders.map((c) => [c.name, []]));
    for (let round = 0; round < config.rounds; round += 1) {
      const order = contenders.map((_, i) => contenders[(i + round) % contenders.length]!);
      for (const c of order) {
        const r = await runLoad(c.url, connections, config.durationS, c.next, watch(c));
        runs.get(c.name)!.push(r);
        step(`${phase} c=${connections} round ${round + 1}: ${c.name.padEnd(16)} ${r.rps.toFixed(1).padStart(7)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  cpu/req gateway ${r.cpuMsPerRequest.gateway} ms backend ${r.cpuMsPerRequest.backend} ms${r.failed || r.graphqlErrors ? `  failed ${r.failed} errors ${r.graphqlErrors}` : ''}`);
      }
    }
    const first = runs.get(contenders[0]!.name)!;
    for (const c of contenders) {
      const mine = runs.get(c.name)!;
      summaries.push({
        name: c.name,
        label: LABEL[c.name] ?? c.name,
        connections,
        rps: round(median(mine.map((r) => r.rps)), 1),
        p50: median(mine.map((r) => r.p50)),
        p99: median(mine.map((r) => r.p99)),
        failed: mine.reduce((n, r) => n + r.failed, 0),
        graphqlErrors: mine.reduce((n, r) => n + r.graphqlErrors, 0),
        runs: mine,
        gatewayCpuMs: round(median(mine.map((r) => r.cpuMsPerRequest.gateway!)), 2),
        backendCpuMs: round(median(mine.map((r) => r.cpuMsPerRequest.backend!)), 2),
        stackCpuOverFirst: round(median(mine.map((r, i) => stackCpu(r) / stackCpu(first[i]!))), 3),
        firstOverThisRps: round(median(mine.map((r, i) => first[i]!.rps / r.rps)), 3),
        p50MinusFirst: round(median(mine.map((r, i) => r.p50 - first[i]!.p50)), 1),
      });
    }
  }
  return summaries;
}

const stackCpu = (r: LoadResult) => r.cpuMsPerRequest.gateway! + r.cpuMsPerRequest.backend!;

/**
 * The floor: the slowest agency a dossier needs, asked directly. The calls that some quiet
 * dossiers made are sent again to each emulator, one at a time, from this process.
 */
async function measureFloor(backend: Child<BackendInfo>, gateways: Partial<Record<GatewayName, Child<{ url: string }>>>, workload: Workload) {
  step('floor: recording the agency calls of single dossiers, then calling each agency directly');
  const calls: ReplayableCall[] = [];
  // Per gateway: a quiet dossier's latency, and the waves of agency calls it needed (ours
  // asks the court system for the case before anything else: one wave more).
  const quiet: Record<string, { ms: number; agencyWaves: number }> = {};
  for (const [name, child] of Object.entries(gateways) as [GatewayName, Child<{ url: string }>][]) {
    const ms: number[] = [];
    const waves: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      await backend.command('reset');
      const c = workload.nextCase();
      const r = await post(child.info.url, name === 'secured' ? workload.secured(c) : workload.peer(c));
      ms.push(r.ms);
      if (name === 'secured') calls.push(...(await backend.command<ReplayableCall[]>('replayable')));
      const timed = await backend.command<TimedCall[]>('calls');
      if (config.latencyMs > 0) waves.push(agencyWaves(timed.map((t) => t.at), config.latencyMs));
    }
    // The median: a call held up by a busy process can look like one more wave.
    quiet[name] = { ms: round(median(ms)), agencyWaves: waves.length ? median(waves) : 0 };
  }
  const byAgency = new Map<string, number[]>();
  for (let rep = 0; rep < 5; rep += 1) {
    for (const call of calls) {
      const started = performance.now();
      const response = await request(new URL(call.path, backend.info.emulatorUrls[call.emulator]).href, {
        method: call.method as 'GET' | 'POST',
        headers: call.headers,
        body: call.method === 'GET' || call.body === undefined ? undefined : JSON.stringify(call.body),
      });
      await response.body.text();
      const agency = `${call.emulator} ${call.path}`;
      byAgency.set(agency, [...(byAgency.get(agency) ?? []), performance.now() - started]);
    }
  }
  const agencies = Object.fromEntries([...byAgency].map(([agency, ms]) => [agency, { p50: round(median(ms)), p99: round(percentile(ms, 99)), calls: ms.length }]));
  const slowest = Object.entries(agencies).sort((a, b) => b[1].p50 - a[1].p50)[0];
  const floorMs = slowest?.[1].p50 ?? NaN;
  const floor = {
    slowestAgency: slowest?.[0],
    floorMs,
    agencies,
    quiet: Object.fromEntries(Object.entries(quiet).map(([name, q]) => [name, { ...q, criticalPathMs: round(q.agencyWaves * floorMs) }])),
  };
  step(`floor: slowest agency ${floor.slowestAgency} p50 ${floorMs} ms; quiet dossiers: ${Object.entries(floor.quiet).map(([n, q]) => `${n} ${q.ms} ms (${q.agencyWaves} waves, critical path ${q.criticalPathMs} ms)`).join(', ')}`);
  return floor;
}

/** One request for 1,000 debtors, then a sweep of 10,000 (ten requests of 1,000, each in its collective case). */
async function measureBulk(backend: Child<BackendInfo>, gateway: Child<{ url: string }>, workload: Workload, sweepCases: BenchCase[]) {
  const sweepRequest = (c: BenchCase) => workload.secured(c, SWEEP, { ids: c.debtors });
  const count = (timed: TimedCall[]) =>
    SWEEP_ENDPOINTS.map((e) => ({ ...e, calls: timed.filter((t) => t.emulator === e.emulator && t.path === e.path && t.firstPage).length }));

  // Waves of agency calls a sweep needs, on one person (batches of a wave go out together, so N does not add waves).
  await backend.command('reset');
  const one = sweepCases[0]!;
  const single = await post(gateway.info.url, workload.secured(one, SWEEP, { ids: one.debtors.slice(0, 1) }));
  if (single.body.errors) throw new Error(`sweep of one failed: ${JSON.stringify(single.body.errors).slice(0, 300)}`);
  const waves = config.latencyMs > 0 ? agencyWaves((await backend.command<TimedCall[]>('calls')).map((t) => t.at), config.latencyMs) : 0;
  const agencyBoundMs = waves * config.latencyMs;

  const sweep = async (cases: BenchCase[]) => {
    await backend.command('reset');
    const stopSampling = sampleMemory(gateway.pid);
    const started = performance.now();
    const walls: number[] = [];
    let errors = 0;
    for (const c of cases) {
      const r = await post(gateway.info.url, sweepRequest(c));
      walls.push(round(r.ms, 1));
      if (r.status !== 200 || r.body.errors) errors += 1;
      if (r.body.errors) step(`bulk: errors ${JSON.stringify(r.body.errors).slice(0, 300)}`);
    }
    const wallMs = round(performance.now() - started, 1);
    const peakRssMb = stopSampling();
    const persons = cases.reduce((n, c) => n + c.debtors.length, 0);
    const endpoints = count(await backend.command<TimedCall[]>('calls')).map((e) => {
      const expected = cases.reduce((n, c) => n + (e.perRequest ?? Math.ceil(c.debtors.length / e.maxBatch!)), 0);
      return { agency: e.agency, maxBatch: e.maxBatch, calls: e.calls, expected, ok: e.calls === expected };
    });
    return {
      persons,
      requests: cases.length,
      wallMs,
      requestWallsMs: walls,
      agencyBoundMs: agencyBoundMs * cases.length,
      errors,
      callsOk: endpoints.every((e) => e.ok),
      endpoints,
      gatewayPeakRssMb: peakRssMb,
      gatewayPeakRssLifetimeMb: processMemory(gateway.pid)?.peakMb,
    };
  };

  step('bulk: one request for 1,000 debtors');
  const thousand = await sweep([sweepCases[0]!]);
  step(`bulk: 1,000 in ${thousand.wallMs} ms (agency-bound ${thousand.agencyBoundMs} ms), calls ${thousand.callsOk ? 'as expected' : 'NOT as expected'}, gateway peak RSS ${thousand.gatewayPeakRssMb} MB`);
  step('bulk: a sweep of 10,000 (10 requests of 1,000)');
  const tenThousand = await sweep(sweepCases);
  step(`bulk: 10,000 in ${tenThousand.wallMs} ms (agency-bound ${tenThousand.agencyBoundMs} ms), calls ${tenThousand.callsOk ? 'as expected' : 'NOT as expected'}, gateway peak RSS ${tenThousand.gatewayPeakRssMb} MB`);
  return { agencyWaves: waves, thousand, tenThousand };
}

function printTables(results: Record<string, any>): void {
  const pad = (s: unknown, n: number) => String(s).padEnd(n);
  const lpad = (s: unknown, n: number) => String(s).padStart(n);
  const floor = results.floor as { floorMs: number; slowestAgency: string; quiet: Record<string, { ms: number; agencyWaves: number; criticalPathMs: number }> } | undefined;
  if (results.dossier) {
    out(`\nOne-stop dossier (each request a different case), agency latency ${config.latencyMs} ms`);
    if (floor) {
      out(`floor: slowest agency called directly ${floor.floorMs} ms (${floor.slowestAgency})`);
      for (const [name, q] of Object.entries(floor.quiet)) {
        out(`  ${pad(LABEL[name], 30)} one dossier alone ${q.ms} ms; ${q.agencyWaves} sequential waves of agency calls -> critical path ${q.criticalPathMs} ms`);
      }
    }
    out(`${pad('conc', 5)}${pad('gateway', 30)}${lpad('req/s', 8)}${lpad('p50 ms', 8)}${lpad('p99 ms', 8)}${lpad('p50-floor', 10)}${lpad('ours/this req/s', 16)}${lpad('this-ours p50', 14)}${lpad('gw cpu/req', 11)}${lpad('backend cpu/req', 16)}${lpad('fail', 6)}`);
    out('(ours/this req/s > 1: ours faster; this-ours p50 > 0: ours faster; medians of ratios taken within each round)');
    for (const s of results.dossier as Summary[]) {
      out(`${pad(s.connections, 5)}${pad(s.label, 30)}${lpad(s.rps.toFixed(1), 8)}${lpad(s.p50, 8)}${lpad(s.p99, 8)}${lpad(floor ? round(s.p50 - floor.floorMs, 1) : '-', 10)}${lpad(s.name === 'secured' ? '-' : s.firstOverThisRps!.toFixed(2), 16)}${lpad(s.name === 'secured' ? '-' : s.p50MinusFirst, 14)}${lpad(`${s.gatewayCpuMs} ms`, 11)}${lpad(`${s.backendCpuMs} ms`, 16)}${lpad(s.failed + s.graphqlErrors, 6)}`);
    }
  }
  if (results.audit) {
    out(`\nAudit cost (records committed before the answer; ${config.databaseUrl ? 'PostgreSQL' : 'PGlite on disk'})`);
    out(`${pad('conc', 5)}${pad('variant', 42)}${lpad('req/s', 8)}${lpad('p50 ms', 8)}${lpad('p99 ms', 8)}${lpad('req/s cost', 12)}${lpad('gw cpu/req', 11)}${lpad('stack cpu/req', 14)}${lpad('cpu cost', 10)}${lpad('fail', 6)}`);
    for (const s of results.audit as Summary[]) {
      const off = s.name === 'audit:off';
      const cost = off ? '-' : `${(100 * (1 - 1 / s.firstOverThisRps!)).toFixed(1)} %`;
      const cpuCost = off ? '-' : `${(100 * (s.stackCpuOverFirst - 1)).toFixed(1)} %`;
      out(`${pad(s.connections, 5)}${pad(s.label, 42)}${lpad(s.rps.toFixed(1), 8)}${lpad(s.p50, 8)}${lpad(s.p99, 8)}${lpad(cost, 12)}${lpad(`${s.gatewayCpuMs} ms`, 11)}${lpad(`${round(s.gatewayCpuMs + s.backendCpuMs, 1)} ms`, 14)}${lpad(cpuCost, 10)}${lpad(s.failed + s.graphqlErrors, 6)}`);
    }
  }
  if (results.observe) {
    const exported = results.tracesExported as { requests: number; bytes: number } | undefined;
    out(`\nMetrics and traces cost (traces exported over OTLP/HTTP to a collector that drops them: ${exported?.requests ?? 0} exports, ${Math.round((exported?.bytes ?? 0) / 1024)} KiB)`);
    out(`${pad('conc', 5)}${pad('variant', 42)}${lpad('req/s', 8)}${lpad('p50 ms', 8)}${lpad('p99 ms', 8)}${lpad('none/this req/s', 17)}${lpad('gw cpu/req', 11)}${lpad('gw cpu this/none', 18)}${lpad('fail', 6)}`);
    const none = (results.observe as Summary[]).find((s) => s.name === 'observe:none');
    for (const s of results.observe as Summary[]) {
      const first = s.name === 'observe:none';
      const cpu = first || !none ? '-' : (s.gatewayCpuMs / none.gatewayCpuMs).toFixed(2);
      out(`${pad(s.connections, 5)}${pad(s.label, 42)}${lpad(s.rps.toFixed(1), 8)}${lpad(s.p50, 8)}${lpad(s.p99, 8)}${lpad(first ? '-' : s.firstOverThisRps!.toFixed(2), 17)}${lpad(`${s.gatewayCpuMs} ms`, 11)}${lpad(cpu, 18)}${lpad(s.failed + s.graphqlErrors, 6)}`);
    }
  }
  if (results.bulk) {
    const b = results.bulk;
    out(`\nBulk sweeps (${b.agencyWaves} waves of agency calls; agency-bound = waves x ${config.latencyMs} ms per request; gateway idle RSS ${b.gatewayIdleRssMb} MB${config.databaseUrl ? '' : ', PGlite audit database inside it'})`);
    out(`${pad('persons', 9)}${lpad('requests', 9)}${lpad('wall ms', 10)}${lpad('agency-bound', 14)}${lpad('calls = ceil(N/max)', 21)}${lpad('gateway peak RSS', 18)}`);
    for (const s of [b.thousand, b.tenThousand]) {
      out(`${pad(s.persons, 9)}${lpad(s.requests, 9)}${lpad(s.wallMs, 10)}${lpad(s.agencyBoundMs, 14)}${lpad(s.callsOk ? 'yes' : 'NO', 21)}${lpad(`${s.gatewayPeakRssMb} MB`, 18)}`);
    }
    out('calls per agency endpoint (10,000 sweep): ' + (b.tenThousand.endpoints as { agency: string; calls: number; expected: number }[]).map((e) => `${e.agency} ${e.calls}/${e.expected}`).join(', '));
  }
  if (Object.keys(results.unavailable ?? {}).length) out(`\nnot measured: ${JSON.stringify(results.unavailable)}`);
}

async function cleanUp(failed: boolean): Promise<void> {
  for (const child of [...children].reverse()) await child.stop().catch(() => undefined);
  if (config.databaseUrl) {
    const db = await openDatabase({ url: config.databaseUrl });
    for (const table of auditTables) {
      await db.query(`DROP TABLE IF EXISTS "${table}" CASCADE`);
      await db.query(`DROP FUNCTION IF EXISTS "${table}_append_only"() CASCADE`);
    }
    await db.close();
  }
  // A failed run keeps its logs.
  if (failed || flags['keep-logs']) out(`logs kept in ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

main()
  .catch((error: unknown) => {
    process.exitCode = 1;
    out(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  })
  .finally(() => cleanUp(process.exitCode === 1).catch(() => undefined));
