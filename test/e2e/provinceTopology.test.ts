/**
 * The province of docker-compose.yml without Docker (issue 15): every agency emulator and every
 * subgraph a node process of its own started from its environment alone (bin/emulator.ts,
 * bin/subgraph.ts), two gateway processes (bin/gateway.ts) in production mode, the system's
 * HAProxy with deploy/haproxy.cfg as it is (only its addresses from the environment), one
 * PostgreSQL (a database of this run's own, dropped after) and one Redis (a logical database of
 * its own, flushed before and after). Every request goes through HAProxy.
 *
 * Needs DATABASE_URL, REDIS_URL and /usr/sbin/haproxy: skipped without them, failed under CI=true.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { writeCheckpointKeyPair } from '../../lib/audit/checkpoints/checkpointKey';
import { openDatabase } from '../../lib/db/openDatabase';
import { createPopulation } from '../../mocks/population';
import { CASE_PROGRESS, caseVariables, DOSSIER, SEAL_REAL_ESTATE, sealVariables } from '../../schemas/courtOperations';
import { SUBGRAPH_NAMES } from '../../schemas/subgraphs';
import { subgraphUrlVariable } from '../../gateway/config';
import { CASE_HEADER } from '../../gateway/caseBinding/caseHeader';
import { EMULATOR_NAMES } from '../../stack/emulatorAlone';
import { until } from '../support/npmStart';
import { freePort, killAll, type ProvinceProcess, startEntry, startHaproxy } from '../support/provinceProcesses';
import { REPO_ROOT } from '../support/repoRoot';

const HAPROXY = '/usr/sbin/haproxy';
const missing = [...(process.env.DATABASE_URL ? [] : ['DATABASE_URL']), ...(process.env.REDIS_URL ? [] : ['REDIS_URL']), ...(existsSync(HAPROXY) ? [] : [HAPROXY])];
if (missing.length > 0 && process.env.CI === 'true') throw new Error(`The province topology test must run under CI: ${missing.join(', ')} missing (.ci/run sets them up).`);
if (missing.length > 0) console.warn(`provinceTopology.test.ts skipped: it needs ${missing.join(', ')} (a PostgreSQL and a Redis server, HAProxy).`);
const describeProvince = missing.length > 0 ? describe.skip : describe;

/** A hang guard on waits for things that must happen; never a measure of speed. */
const GUARD_MS = 120_000;
jest.setTimeout(15 * 60_000);

const PERSONS = 1500;
const SEED = 20190123;
const population = createPopulation({ persons: PERSONS, seed: SEED });
const tag = `${Date.now().toString(36)}${process.pid}`;
const work = mkdtempSync(join(tmpdir(), 'cag-province-'));
const ISSUER = 'https://issuer.courts.test';
const AUDIENCE = 'court-asset-graph';
const METRICS_TOKEN = 'a-province-metrics-token-of-32-characters-at-least';
const keys = generateKeyPair('ES256', { extractable: true });

const processes: Pick<ProvinceProcess, 'child' | 'exited' | 'output' | 'name'>[] = [];
let databaseUrl = '';
let redisDb = 0;
let lb = '';
let gateways: ProvinceProcess[] = [];

/** A production token of the test's issuer (production refuses the development key). */
async function token(court: string, officer: string, roles: string[]): Promise<string> {
  return new SignJWT({ court, roles })
    .setProtectedHeader({ alg: 'ES256', kid: 'province-1' })
    .setSubject(officer)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('30m')
    .sign((await keys).privateKey);
}

interface Answer {
  status: number;
  body: { data?: Record<string, any> | null; errors?: { extensions?: { code?: string } }[] } | undefined;
}

/** One request through HAProxy; a cut connection is status 0. */
async function post(query: string, variables: Record<string, unknown>, headers: Record<string, string>): Promise<Answer> {
  try {
    const response = await fetch(lb, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
    const text = await response.text();
    let body: Answer['body'];
    try {
      body = JSON.parse(text) as Answer['body'];
    } catch {
      body = undefined;
    }
    return { status: response.status, body };
  } catch {
    return { status: 0, body: undefined };
  }
}

/** Runs `tasks` with at most `width` at a time, answers in order. */
async function pooled<T>(tasks: (() => Promise<T>)[], width: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]!();
      }
    }),
  );
  return results;
}

/** GraphQL requests one gateway answered, by operation name, from its /metrics. */
async function answeredBy(gateway: ProvinceProcess, operation: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', gateway.ready.gateway!), { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('cag_gateway_requests_total{') && line.includes(`operation="${operation}"`))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

async function perReplica(operation: string): Promise<number[]> {
  return Promise.all(gateways.map((g) => answeredBy(g, operation)));
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.href;
}

beforeAll(async () => {
  if (missing.length > 0) return;
  // A PostgreSQL database of this run's own: the audit log, the agencies' books, the case account.
  const database = `cag_province_${tag}`;
  const admin = await openDatabase({ url: process.env.DATABASE_URL });
  await admin.query(`CREATE DATABASE "${database}"`);
  await admin.close();
  databaseUrl = withDatabase(process.env.DATABASE_URL!, database);
  // A Redis logical database of its own: the gateways' rate keys use the default prefix.
  redisDb = 1 + (process.pid % 15);
  const redisUrl = new URL(process.env.REDIS_URL!);
  redisUrl.pathname = `/${redisDb}`;
  const redis = new Redis(redisUrl.href);
  await redis.flushdb();
  redis.disconnect();

  // Secrets as the compose file gives them: files.
  const secretFile = (name: string, value: string) => {
    const path = join(work, name);
    writeFileSync(path, `${value}\n`, { mode: 0o600 });
    return path;
  };
  const subgraphSecret = secretFile('subgraph_secret', `province-subgraph-secret-${tag}-0123456789abcdef`);
  const metricsToken = secretFile('metrics_token', METRICS_TOKEN);
  const databaseUrlFile = secretFile('database_url', databaseUrl);
  const redisUrlFile = secretFile('redis_url', redisUrl.href);
  const { publicKey } = await keys;
  const jwks = secretFile('jwks', JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'province-1', alg: 'ES256', use: 'sig' }] }));
  const checkpointKeys = await writeCheckpointKeyPair(join(work, 'checkpoint-key'));

  const track = <T extends Pick<ProvinceProcess, 'child' | 'exited' | 'output' | 'name'>>(p: T): T => {
    processes.push(p);
    return p;
  };
  const population = { POPULATION_PERSONS: String(PERSONS), POPULATION_SEED: String(SEED) };
  const emulatorEnv = { ...population, PORT: '0', DATABASE_URL_FILE: databaseUrlFile, EMULATOR_LATENCY_MS: '0' };
  const court = track(await startEntry('emulator court', 'bin/emulator.ts', ['court'], emulatorEnv));
  const urls: Record<string, string> = { court: court.ready.url! };
  await Promise.all(
    EMULATOR_NAMES.filter((name) => name !== 'court').map(async (name) => {
      const e = track(await startEntry(`emulator ${name}`, 'bin/emulator.ts', [name], { ...emulatorEnv, COURT_URL: urls.court }));
      urls[name] = e.ready.url!;
    }),
  );

  const agencyUrls = {
    COURT_URL: urls.court,
    BANK_URL_NCB: urls['bank:NCB'],
    BANK_URL_HZCB: urls['bank:HZCB'],
    BANK_URL_RCC: urls['bank:RCC'],
    BANK_URL_WEB: urls['bank:WEB'],
    REALESTATE_URL: urls.realestate,
    VEHICLE_URL: urls.vehicle,
    COMMERCE_URL: urls.commerce,
    SOCIAL_INSURANCE_URL: urls['social-insurance'],
  };
  const subgraphUrls: Record<string, string> = {};
  await Promise.all(
    SUBGRAPH_NAMES.map(async (name) => {
      // Each gets only what it reads (an audit subgraph without RCC: it controls nothing online).
      const own =
        name === 'audit'
          ? { ...agencyUrls, BANK_URL_RCC: undefined, DATABASE_URL_FILE: databaseUrlFile }
          : name === 'bank'
            ? { BANK_URL_NCB: agencyUrls.BANK_URL_NCB, BANK_URL_HZCB: agencyUrls.BANK_URL_HZCB, BANK_URL_RCC: agencyUrls.BANK_URL_RCC, BANK_URL_WEB: agencyUrls.BANK_URL_WEB }
            : { [`${name.toUpperCase().replace(/-/g, '_')}_URL`]: agencyUrls[`${name.toUpperCase().replace(/-/g, '_')}_URL` as keyof typeof agencyUrls] };
      const s = track(await startEntry(`subgraph ${name}`, 'bin/subgraph.ts', [name], { NODE_ENV: 'production', PORT: '0', SUBGRAPH_SECRET_FILE: subgraphSecret, METRICS_TOKEN_FILE: metricsToken, ...own }));
      subgraphUrls[name] = s.ready.url!;
    }),
  );

  const gatewayEnv = (i: number) => ({
    NODE_ENV: 'production',
    PORT: '0',
    SUBGRAPH_SECRET_FILE: subgraphSecret,
    METRICS_TOKEN_FILE: metricsToken,
    DATABASE_URL_FILE: databaseUrlFile,
    REDIS_URL_FILE: redisUrlFile,
    JWKS_PATH: jwks,
    TOKEN_ISSUER: ISSUER,
    TOKEN_AUDIENCE: AUDIENCE,
    // One directory per replica: both run on this one host, whose name names the checkpoint file.
    AUDIT_CHECKPOINT_DIR: join(work, `checkpoints-${i}`),
    AUDIT_CHECKPOINT_KEY_FILE: checkpointKeys.privateKeyFile,
    AUDIT_CHECKPOINT_INTERVAL_MS: '500',
    TRUSTED_PROXIES: 'loopback',
    LOG_LEVEL: 'warn',
    ...Object.fromEntries(SUBGRAPH_NAMES.map((name) => [subgraphUrlVariable(name), subgraphUrls[name]])),
  });
  gateways = await Promise.all([1, 2].map(async (i) => track(await startEntry(`gateway-${i}`, 'bin/gateway.ts', [], gatewayEnv(i)))));

  const bind = await freePort();
  const hostPort = (g: ProvinceProcess) => new URL(g.ready.gateway!).host;
  track(startHaproxy(join(REPO_ROOT, 'deploy/haproxy.cfg'), { HAPROXY_BIND: `127.0.0.1:${bind}`, GATEWAY_1: hostPort(gateways[0]!), GATEWAY_2: hostPort(gateways[1]!) }));
  lb = `http://127.0.0.1:${bind}/graphql`;
  // HAProxy's first health checks pass: both replicas take requests.
  await until(async () => (await fetch(lb.replace('/graphql', '/healthz')).catch(() => undefined))?.ok === true, GUARD_MS, 'HAProxy answering');
}, 10 * 60_000);

afterAll(async () => {
  await killAll(processes);
  if (missing.length > 0) return;
  const admin = await openDatabase({ url: process.env.DATABASE_URL });
  await admin.query(`DROP DATABASE IF EXISTS "cag_province_${tag}" WITH (FORCE)`);
  await admin.close();
  const redisUrl = new URL(process.env.REDIS_URL!);
  redisUrl.pathname = `/${redisDb}`;
  const redis = new Redis(redisUrl.href);
  await redis.flushdb();
  redis.disconnect();
});

const summary: Record<string, unknown> = {};
afterAll(() => {
  if (Object.keys(summary).length > 0) console.log(`PROVINCE ${JSON.stringify(summary)}`);
});

const active = population.cases.filter((c) => c.status === 'ACTIVE');
const rich = population.scenarios.richDebtor;
const richCase = population.cases.find((c) => c.caseNumber === rich.caseNumber)!;
/** The court whose budget (b) spends: the one with fewest active cases that is not the rich debtor's. */
const budgetCourt = [...new Set(active.map((c) => c.courtCode))]
  .filter((code) => code !== richCase.courtCode)
  .sort((a, b) => active.filter((c) => c.courtCode === a).length - active.filter((c) => c.courtCode === b).length)[0]!;

async function auditRows(): Promise<{ outcome: string; officer: string | null; request_id: string }[]> {
  const db = await openDatabase({ url: databaseUrl });
  try {
    const { rows } = await db.query<{ outcome: string; officer: string | null; request_id: string }>('SELECT outcome, officer, request_id FROM audit_log ORDER BY id');
    return rows;
  } finally {
    await db.close();
  }
}

function auditVerify(dir: string): { status: number | null; out: string } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'bin/auditVerify.ts'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl, AUDIT_CHECKPOINT_DIR: dir, AUDIT_CHECKPOINT_PUBLIC_KEYS: join(work, 'checkpoint-key', 'public.jwks.json') },
    encoding: 'utf8',
  });
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

describeProvince('the province behind HAProxy, without Docker', () => {
  it('(a) spreads 200 requests, each a different case, over both replicas into one audit chain that verifies', async () => {
    const cases = active.filter((c) => c.courtCode !== budgetCourt).slice(0, 200);
    expect(cases).toHaveLength(200);
    const before = await perReplica('Dossier');
    const answers = await pooled(
      cases.map((c, i) => async () =>
        post(DOSSIER, caseVariables(c.caseNumber), {
          authorization: `Bearer ${await token(c.courtCode, `${c.courtCode}-a${i}`, ['query'])}`,
          [CASE_HEADER]: encodeURIComponent(c.caseNumber),
        }),
      ),
      16,
    );
    expect(answers.filter((a) => a.status !== 200 || a.body?.errors !== undefined)).toEqual([]);
    const after = await perReplica('Dossier');
    const perGateway = after.map((n, i) => n - before[i]!);
    expect(perGateway.reduce((a, b) => a + b, 0)).toBe(200);
    expect(perGateway.every((n) => n > 0)).toBe(true);

    const rows = (await auditRows()).filter((r) => r.officer !== null && /-a\d+$/.test(r.officer));
    const finals = new Set(rows.filter((r) => r.outcome !== 'INTENT').map((r) => r.request_id));
    expect(finals.size).toBe(200);
    expect(rows.filter((r) => r.outcome === 'INTENT').every((r) => finals.has(r.request_id))).toBe(true);

    // Both replicas have signed a checkpoint of the one chain; it verifies against each.
    await until(async () => gateways.every((_, i) => existsSync(join(work, `checkpoints-${i + 1}`))), GUARD_MS, 'checkpoints written');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const verified = [1, 2].map((i) => auditVerify(join(work, `checkpoints-${i}`)));
    for (const v of verified) expect({ status: v.status, out: v.out }).toEqual({ status: 0, out: expect.stringMatching(/^audit chain OK: \d+ records, anchored/m) });
    // Two records a request: its intent before the first call, its final record.
    expect(verified.map((v) => /OK: (\d+) records/.exec(v.out)?.[1])).toEqual(['400', '400']);
    summary.a = { requests: 200, perReplica: perGateway, chainRecords: Number(/OK: (\d+) records/.exec(verified[0]!.out)?.[1]), verify: verified.map((v) => v.out.split('\n')[0]) };
  });

  it("(b) shares one court's budget: 650 requests over both replicas, exactly 600 pass", async () => {
    const kase = active.find((c) => c.courtCode === budgetCourt)!;
    const bearer = `Bearer ${await token(budgetCourt, `${budgetCourt}-b`, ['query'])}`;
    const before = await perReplica('CaseProgress');
    // Without the case header: each is refused by the case binding after it was counted, so the
    // budget is spent without calling any agency.
    const answers = await pooled(Array.from({ length: 650 }, () => () => post(CASE_PROGRESS, caseVariables(kase.caseNumber), { authorization: bearer })), 16);
    const limited = answers.filter((a) => a.status === 429 && a.body?.errors?.[0]?.extensions?.code === 'RATE_LIMITED').length;
    const after = await perReplica('CaseProgress');
    const perGateway = after.map((n, i) => n - before[i]!);
    expect({ limited, passed: answers.filter((a) => a.status !== 429).length }).toEqual({ limited: 50, passed: 600 });
    expect(perGateway.every((n) => n > 300 - 100)).toBe(true);
    summary.b = { court: budgetCourt, sent: 650, passed: 600, limited, perReplica: perGateway };
  });

  it('(c) makes one seal of 50 duplicate control requests split over both replicas', async () => {
    const unit = population.realEstate.find((u) => u.owners.some((o) => o.party.kind === 'PERSON' && o.party.idNumber === rich.idNumber))!;
    const headers = {
      authorization: `Bearer ${await token(richCase.courtCode, richCase.officer, ['query', 'control'])}`,
      [CASE_HEADER]: encodeURIComponent(richCase.caseNumber),
    };
    const variables = sealVariables({ requestId: `province-seal-${tag}`, unitNumber: unit.unitNumber, documentNumber: `${richCase.caseNumber}之一`, termDays: 1095 });
    const before = await perReplica('Seal');
    const answers = await Promise.all(Array.from({ length: 50 }, () => post(SEAL_REAL_ESTATE, variables, headers)));
    expect(answers.filter((a) => a.status !== 200 || a.body?.errors !== undefined)).toEqual([]);
    const seals = new Set(answers.map((a) => a.body?.data?.sealRealEstate?.seal?.id));
    expect([...seals].filter((id) => id === undefined)).toEqual([]);
    expect(seals.size).toBe(1);
    const perGateway = (await perReplica('Seal')).map((n, i) => n - before[i]!);
    expect(perGateway.every((n) => n > 0)).toBe(true);
    const db = await openDatabase({ url: databaseUrl });
    const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM measures_realestate WHERE case_number = $1`, [richCase.caseNumber]);
    await db.close();
    expect(Number(rows[0]!.n)).toBe(1);
    summary.c = { duplicates: 50, perReplica: perGateway, measures: Number(rows[0]!.n) };
  });

  it('(d) kill -9 of one replica mid-flight: every 2xx answer is audited, the rest go to the survivor', async () => {
    const cases = active.filter((c) => c.courtCode !== budgetCourt).slice(0, 120);
    const send = (c: (typeof cases)[number], i: number) => async () =>
      post(DOSSIER, caseVariables(c.caseNumber), {
        authorization: `Bearer ${await token(c.courtCode, `${c.courtCode}-d${i}`, ['query'])}`,
        [CASE_HEADER]: encodeURIComponent(c.caseNumber),
      });
    let done = 0;
    const victim = gateways[1]!;
    const tasks = cases.map((c, i) => async () => {
      const answer = await send(c, i)();
      done += 1;
      if (done === 30) victim.child.kill('SIGKILL');
      return answer;
    });
    const answers = await pooled(tasks, 12);
    await victim.exited;
    // After the kill has been seen, every new request is answered by the survivor.
    const later = await pooled(cases.slice(0, 20).map((c, i) => send(c, 1000 + i)), 4);
    expect(later.map((a) => a.status)).toEqual(later.map(() => 200));

    const rows = (await auditRows()).filter((r) => r.officer !== null && /-d\d+$/.test(r.officer));
    const finalOfficers = new Set(rows.filter((r) => r.outcome !== 'INTENT').map((r) => r.officer!));
    const ok = answers.map((a, i) => ({ a, officer: `${cases[i]!.courtCode}-d${i}` })).filter(({ a }) => a.status >= 200 && a.status < 300);
    expect(ok.filter(({ officer }) => !finalOfficers.has(officer)).map(({ officer }) => officer)).toEqual([]);
    const finals = new Set(rows.filter((r) => r.outcome !== 'INTENT').map((r) => r.request_id));
    const unfinished = rows.filter((r) => r.outcome === 'INTENT' && !finals.has(r.request_id));
    const okOfficers = new Set(ok.map(({ officer }) => officer));
    // An intent left open is a request the crash cut: never one the client got an answer for.
    expect(unfinished.filter((r) => okOfficers.has(r.officer!))).toEqual([]);
    const failed = answers.filter((a) => a.status < 200 || a.status >= 300);
    expect(unfinished.length).toBeLessThanOrEqual(failed.length);
    // The chain still verifies after the crash; audit:verify names any request the crash cut.
    const verified = auditVerify(join(work, 'checkpoints-1'));
    expect(verified.out).toMatch(/^audit chain OK: \d+ records/m);
    summary.d = {
      sent: answers.length,
      answered2xx: ok.length,
      failed: failed.map((a) => a.status),
      intentsLeftOpen: unfinished.length,
      afterKill: later.length,
      verify: verified.out.trim().split('\n'),
    };
  });
});
