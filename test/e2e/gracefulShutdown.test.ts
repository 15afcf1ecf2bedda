/**
 * `npm start` stops gracefully: SIGTERM in the middle of load loses no accepted request. The
 * whole stack runs in a child process (bin/start.ts on free ports, slow agencies); requests in
 * flight when the signal comes all get their complete answer, and each is in the audit chain;
 * requests after it are refused a connection, never half answered; the process exits 0. A
 * second signal exits at once.
 *
 * And as operators stop it: `npm start` in a process group of its own, the signal sent to the
 * whole group (Ctrl-C, a service manager) or to npm alone. The server gets it twice or once;
 * either way one drain: the request in flight is answered and every process exits.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Agent, request } from 'undici';
import { AuditLog } from '../../gateway/audit/auditLog';
import { openDatabase } from '../../lib/db/openDatabase';
import { createPopulation } from '../../mocks/population';
import { officerHeaders } from '../support/courtRequest';
import { groupAlive, killGroup, type NpmStart, npmStart, until, within } from '../support/npmStart';

const ROOT = join(__dirname, '../..');
const PERSONS = 200;
const HOLDINGS = 'query Holdings($id: IdNumber!) { person(idNumber: $id) { idNumber name vehicles { vin } bankAccounts { accountNumber balance } } }';

interface Started {
  child: ChildProcess;
  gateway: string;
  exited: Promise<{ code: number | null; at: number }>;
  output: string[];
}

/** bin/start.ts in a child process, on free ports, auditing into a PGlite directory of its own. */
async function startChild(auditDir: string, latencyMs: number): Promise<Started> {
  // Node itself with tsx's loader, not the tsx CLI: the signals must reach bin/start.ts, not a wrapper process.
  const child = spawn(process.execPath, ['--import', 'tsx', 'bin/start.ts', '--persons', String(PERSONS), '--latency', String(latencyMs), '--port', '0', '--ephemeral-ports'], {
    cwd: ROOT,
    // Its own embedded database and in-memory rate limits, whatever the test run uses.
    env: { ...process.env, AUDIT_DB: auditDir, DATABASE_URL: '', REDIS_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.once('exit', (code) => resolve({ code, at: Date.now() })));
  const ready = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      const m = /^READY (.*)$/.exec(line);
      if (m) resolve((JSON.parse(m[1]!) as { gateway: string }).gateway);
    });
    createInterface({ input: child.stderr! }).on('line', (line) => output.push(line));
    void exited.then(({ code }) => reject(new Error(`bin/start.ts exited with ${code} before it was ready:\n${output.join('\n')}`)));
  });
  return { child, gateway: await ready, exited, output };
}

type Outcome = { kind: 'answered'; status: number; body: string } | { kind: 'no connection'; code: string };

/** One request on a connection of its own, so no request rides on another's kept-alive connection. */
async function send(url: string, headers: Record<string, string>, variables: Record<string, unknown>): Promise<Outcome> {
  const dispatcher = new Agent({ connections: 1 });
  try {
    const response = await request(url, { method: 'POST', dispatcher, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: HOLDINGS, variables }) });
    return { kind: 'answered', status: response.statusCode, body: await response.body.text() };
  } catch (error) {
    return { kind: 'no connection', code: String((error as { code?: string }).code ?? (error as Error).message) };
  } finally {
    await dispatcher.destroy();
  }
}

/** A whole answer: HTTP 200, JSON that parses, the person's data and no error. */
function expectComplete(outcome: Outcome, idNumber: string): void {
  expect(outcome).toMatchObject({ kind: 'answered', status: 200 });
  const body = JSON.parse((outcome as { body: string }).body) as { data?: { person?: { idNumber: string } }; errors?: unknown };
  expect(body.errors).toBeUndefined();
  expect(body.data?.person?.idNumber).toBe(idNumber);
}

describe('npm start under SIGTERM', () => {
  const population = createPopulation({ persons: PERSONS });
  const rich = population.scenarios.richDebtor;
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  const auditDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'graceful-'));
    dirs.push(dir);
    return join(dir, 'audit');
  };

  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('finishes every request in flight, refuses new connections, audits every answer, and exits 0', async () => {
    const dir = auditDir();
    const started = await startChild(dir, 200);
    children.push(started.child);
    const headers = await officerHeaders(population, rich.caseNumber);
    const variables = { id: rich.idNumber };

    // 50 requests in flight: each waits on several agencies of 200 ms.
    const inFlight = Array.from({ length: 50 }, () => send(started.gateway, headers, variables));
    await new Promise((resolve) => setTimeout(resolve, 400));
    const signalledAt = Date.now();
    started.child.kill('SIGTERM');
    // And more requests after the signal, every 40 ms for 1.2 s.
    const after: Promise<Outcome>[] = [];
    for (let i = 0; i < 30; i++) {
      after.push(send(started.gateway, headers, variables));
      await new Promise((resolve) => setTimeout(resolve, 40));
    }

    const answered = await Promise.all(inFlight);
    for (const outcome of answered) expectComplete(outcome, rich.idNumber);
    const late = await Promise.all(after);
    // Answered whole, or no connection: refused, or reset while still in the accept queue when
    // the listener closed (nothing was read). Never a connection closed on a request it took.
    for (const outcome of late) {
      if (outcome.kind === 'answered') expectComplete(outcome, rich.idNumber);
      else expect(['ECONNREFUSED', 'ECONNRESET']).toContain(outcome.code);
    }
    expect(late.filter((o) => o.kind === 'no connection' && o.code === 'ECONNREFUSED').length).toBeGreaterThan(0);

    const { code, at } = await started.exited;
    expect(code).toBe(0);
    expect(at - signalledAt).toBeLessThan(15_000);
    expect(started.output.join('\n')).toContain('SIGTERM: the gateway takes no new connections and finishes the requests in flight');

    // Every answer left only after its audit record was written: the chain holds them all, intact.
    const db = await openDatabase({ url: `pglite://${dir}` });
    try {
      const audit = await AuditLog.open(db, { create: false });
      const answeredCount = answered.length + late.filter((o) => o.kind === 'answered').length;
      // Each answered request: its intent (before its first agency call) and its outcome; none cut off.
      await expect(audit.verify()).resolves.toEqual({ ok: true, count: 2 * answeredCount });
      await expect(audit.unfinished()).resolves.toEqual([]);
    } finally {
      await db.close();
    }
  }, 90_000);

  it('exits at once on a second signal, without waiting for requests in flight', async () => {
    const started = await startChild(auditDir(), 3000);
    children.push(started.child);
    const slow = send(started.gateway, await officerHeaders(population, rich.caseNumber), { id: rich.idNumber });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const signalledAt = Date.now();
    started.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 100));
    started.child.kill('SIGINT');
    const { code, at } = await started.exited;
    expect(code).toBe(1);
    expect(at - signalledAt).toBeLessThan(2_000);
    expect(started.output.join('\n')).toContain('SIGINT again: exiting without waiting for requests in flight.');
    expect(await slow).toMatchObject({ kind: 'no connection' });
  }, 90_000);
});

describe('npm start, stopped as operators stop it', () => {
  const population = createPopulation({ persons: PERSONS });
  const rich = population.scenarios.richDebtor;
  const dirs: string[] = [];
  const groups: number[] = [];

  afterAll(() => {
    for (const pgid of groups) killGroup(pgid);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** How many calls have reached an emulator (its GET /__calls count). */
  const callsSeen = async (emulatorUrl: string) => ((await (await fetch(`${emulatorUrl}/__calls`)).json()) as { seen: number }).seen;

  it.each([
    ['SIGINT', 'the process group (Ctrl-C in a terminal)', 'group'],
    ['SIGTERM', 'the process group (a service manager)', 'group'],
    ['SIGINT', 'npm alone', 'npm'],
    ['SIGTERM', 'npm alone (kill <npm pid>)', 'npm'],
  ] as const)('%s to %s: one drain, the request in flight is answered whole, every process exits 0', async (signal, _to, target) => {
    const dir = mkdtempSync(join(tmpdir(), 'npm-start-'));
    dirs.push(dir);
    const started: NpmStart = await npmStart(['--persons', String(PERSONS), '--ephemeral-ports'], { AUDIT_DB: join(dir, 'audit'), DATABASE_URL: '', REDIS_URL: '' });
    groups.push(started.pgid);
    const vehicle = started.ready.emulators.vehicle!;

    // The vehicle registry holds the request in flight until long after the signal.
    await fetch(`${vehicle}/__faults`, { method: 'POST', body: JSON.stringify({ extraLatencyMs: 2000 }) });
    const inFlight = send(started.ready.gateway, await officerHeaders(population, rich.caseNumber), { id: rich.idNumber });
    await until(async () => (await callsSeen(vehicle)) > 0, 10_000, 'the request reaches the vehicle registry');
    process.kill(target === 'group' ? -started.pgid : started.pgid, signal);

    expectComplete(await inFlight, rich.idNumber);
    expect(await within(started.exited, 30_000)).toEqual({ code: 0, signal: null });
    // npm exits after the server it waits for; nothing of the group is left behind.
    expect(groupAlive(started.pgid)).toBe(false);
    const output = started.output.join('\n');
    expect(output.match(new RegExp(`^${signal}: the gateway takes no new connections`, 'gm'))).toHaveLength(1);
    expect(output).not.toContain('exiting without waiting');
  }, 90_000);
});
