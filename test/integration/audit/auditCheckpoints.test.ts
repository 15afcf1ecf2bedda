/**
 * The checkpointer over both backends: what it signs, when, and that the request path never
 * waits for it. The schedule is the test's: it fires the interval by hand.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditCheckpointer, type Schedule, type WrittenCheckpoint } from '../../../lib/audit/checkpoints/auditCheckpointer';
import { AuditLog } from '../../../lib/audit/auditLog';
import { type CheckpointKey, loadCheckpointKey, writeCheckpointKeyPair } from '../../../lib/audit/checkpoints/checkpointKey';
import { checkpointPublicKeys, openCheckpoint } from '../../../lib/audit/checkpoints/checkpointSignature';
import { CheckpointFile, readCheckpoints, type StoredCheckpoint } from '../../../lib/audit/checkpoints/checkpointStore';
import { auditInput, BACKENDS, useAuditDatabase } from '../../support/auditHarness';

/** A schedule the test fires: `fire()` runs the pending timer and resolves once the checkpointer has armed the next. */
function manualSchedule(): Schedule & { pending(): number | undefined; fire(): Promise<void>; cancelled: number } {
  let pending: { run: () => void; ms: number } | undefined;
  let armed: (() => void) | undefined;
  const schedule = ((run: () => void, ms: number) => {
    pending = { run, ms };
    armed?.();
    return () => {
      pending = undefined;
      schedule.cancelled += 1;
    };
  }) as Schedule & { pending(): number | undefined; fire(): Promise<void>; cancelled: number };
  schedule.cancelled = 0;
  schedule.pending = () => pending?.ms;
  schedule.fire = () => {
    const due = pending;
    if (!due) throw new Error('nothing scheduled');
    pending = undefined;
    const next = new Promise<void>((resolve) => (armed = resolve));
    due.run();
    return next;
  };
  return schedule;
}

/** A store whose appends wait until the test lets them through. */
function gatedStore(): { store: { append(entry: StoredCheckpoint): Promise<void> }; entries: StoredCheckpoint[]; release(): void; reached: Promise<void> } {
  const entries: StoredCheckpoint[] = [];
  let release!: () => void;
  let reachedResolve!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const reached = new Promise<void>((resolve) => (reachedResolve = resolve));
  return {
    entries,
    release,
    reached,
    store: {
      async append(entry) {
        reachedResolve();
        await gate;
        entries.push(entry);
      },
    },
  };
}

let root = '';
let key: CheckpointKey;
let publicKeysFile = '';
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'audit-checkpoints-'));
  const written = await writeCheckpointKeyPair(join(root, 'key'));
  publicKeysFile = written.publicKeysFile;
  key = await loadCheckpointKey({ kind: 'file', path: written.privateKeyFile });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const AT = '2025-04-01T09:00:00.000Z';

describe.each(BACKENDS)('audit checkpointer on $name', (backend) => {
  const database = useAuditDatabase(backend);
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(root, 'dir-'));
  });

  async function storedLines(table: string): Promise<StoredCheckpoint[]> {
    const lines: StoredCheckpoint[] = [];
    for await (const line of readCheckpoints(dir, table)) if (line.kind === 'entry') lines.push(line.entry);
    return lines;
  }

  it('signs the head every interval when it moved, and not when it did not', async () => {
    const log = await AuditLog.open(database.db(), { table: database.table() });
    const file = await CheckpointFile.open(dir, log.table, { instance: 'test' });
    const schedule = manualSchedule();
    const checkpointer = new AuditCheckpointer({ log, key, store: file, intervalMs: 10_000, now: () => new Date(AT), schedule });
    checkpointer.start();
    expect(schedule.pending()).toBe(10_000);

    await schedule.fire(); // empty log: nothing to sign
    expect(await storedLines(log.table)).toHaveLength(0);

    for (let i = 1; i <= 3; i += 1) await log.append(auditInput({ requestId: `req-${i}` }));
    await schedule.fire();
    await schedule.fire(); // the head did not move
    await log.append(auditInput({ requestId: 'req-4' }));
    await schedule.fire();
    await file.close();

    const lines = await storedLines(log.table);
    expect(lines).toHaveLength(2);
    const keys = checkpointPublicKeys(JSON.parse(readFileSync(publicKeysFile, 'utf8')) as { keys: [] });
    const opened = await Promise.all(lines.map((l) => openCheckpoint(l.checkpoint, keys)));
    const head = (await log.chainHead())!;
    const third = (await log.chainHead(3))!;
    expect(opened).toEqual([
      { ok: true, claims: { v: 1, table: log.table, at: AT, count: 3, headId: 3, headHash: third.hash, keyId: key.kid } },
      { ok: true, claims: { v: 1, table: log.table, at: AT, count: 4, headId: 4, headHash: head.hash, keyId: key.kid } },
    ]);
    expect(lines.every((l) => l.timestamp === undefined)).toBe(true);
    expect(checkpointer.stats).toEqual({ written: 2, stamped: 0, unstamped: 0, failed: 0 });
  });

  it('on stop, cancels the schedule and signs the final head', async () => {
    const log = await AuditLog.open(database.db(), { table: database.table() });
    const file = await CheckpointFile.open(dir, log.table, { instance: 'test' });
    const schedule = manualSchedule();
    const checkpointer = new AuditCheckpointer({ log, key, store: file, schedule });
    checkpointer.start();
    await log.append(auditInput({ requestId: 'req-1' }));
    await log.append(auditInput({ requestId: 'req-2' }));
    await checkpointer.stop();
    await file.close();
    expect(schedule.cancelled).toBe(1);
    expect(schedule.pending()).toBeUndefined();
    expect(checkpointer.stats.written).toBe(1);
    const [line] = await storedLines(log.table);
    const opened = await openCheckpoint(line!.checkpoint, checkpointPublicKeys({ keys: [key.publicJwk] }));
    expect(opened).toMatchObject({ ok: true, claims: { headId: 2 } });
  });

  it('reports a checkpoint it could not write and makes it at the next interval', async () => {
    const log = await AuditLog.open(database.db(), { table: database.table() });
    const written: StoredCheckpoint[] = [];
    let failNext = true;
    const store = {
      async append(entry: StoredCheckpoint) {
        if (failNext) {
          failNext = false;
          throw new Error('disk full');
        }
        written.push(entry);
      },
    };
    const reported: string[] = [];
    const schedule = manualSchedule();
    const checkpointer = new AuditCheckpointer({ log, key, store, schedule, reporter: { warn: () => {}, error: (_d, message) => reported.push(message) } });
    checkpointer.start();
    await log.append(auditInput());
    await schedule.fire();
    expect(reported).toEqual(['Audit checkpoint could not be made; trying again at the next interval']);
    expect(written).toHaveLength(0);
    await schedule.fire();
    expect(written).toHaveLength(1);
    expect(checkpointer.stats).toEqual({ written: 1, stamped: 0, unstamped: 0, failed: 1 });
    await checkpointer.stop();
  });

  it('never holds up an append: records commit while a checkpoint is still being written', async () => {
    const log = await AuditLog.open(database.db(), { table: database.table() });
    await log.append(auditInput({ requestId: 'req-1' }));
    const gated = gatedStore();
    const checkpointer = new AuditCheckpointer({ log, key, store: gated.store, schedule: manualSchedule() });
    let settled = false;
    const inFlight = checkpointer.checkpoint().finally(() => (settled = true));
    await gated.reached; // it has read the head and signed; its write is held

    const appended = await Promise.all([2, 3, 4].map((i) => log.append(auditInput({ requestId: `req-${i}` }))));
    expect(appended.map((a) => a.id)).toEqual([2, 3, 4]);
    expect(settled).toBe(false);

    gated.release();
    const checkpoint = (await inFlight) as WrittenCheckpoint;
    expect(checkpoint.headId).toBe(1);
    await checkpointer.stop();
    expect(gated.entries).toHaveLength(2); // the final one covers the records appended meanwhile
  });
});

describe('checkpoint files', () => {
  it('only ever grow: an earlier line is never rewritten', async () => {
    const dir = mkdtempSync(join(root, 'grow-'));
    const file = await CheckpointFile.open(dir, 'audit_log', { instance: 'host-1' });
    await file.append({ checkpoint: 'a.b.c' });
    const first = readFileSync(file.path);
    await file.append({ checkpoint: 'd.e.f', timestamp: { tsa: 'http://tsa', error: 'down' } });
    await file.close();
    const again = await CheckpointFile.open(dir, 'audit_log', { instance: 'host-1' });
    await again.append({ checkpoint: 'g.h.i' });
    await again.close();
    const after = readFileSync(file.path);
    expect(after.subarray(0, first.length).equals(first)).toBe(true);
    expect(after.toString().split('\n')).toHaveLength(4);
    expect(file.path).toBe(join(dir, 'audit_log.host-1.jsonl'));
  });

  it('reads every host file of the table and leaves out an unfinished last line', async () => {
    const dir = mkdtempSync(join(root, 'read-'));
    for (const instance of ['b', 'a']) {
      const file = await CheckpointFile.open(dir, 'audit_log', { instance });
      await file.append({ checkpoint: `x.${instance}.y` });
      await file.close();
    }
    const other = await CheckpointFile.open(dir, 'audit_log_other', { instance: 'a' });
    await other.append({ checkpoint: 'not.ours.z' });
    await other.close();
    appendFileSync(join(dir, 'audit_log.b.jsonl'), 'not json\n{"checkpoint":"cut-of');
    const lines = [];
    for await (const line of readCheckpoints(dir, 'audit_log')) lines.push(line);
    expect(lines).toEqual([
      { file: 'audit_log.a.jsonl', line: 1, kind: 'entry', entry: { checkpoint: 'x.a.y' } },
      { file: 'audit_log.b.jsonl', line: 1, kind: 'entry', entry: { checkpoint: 'x.b.y' } },
      { file: 'audit_log.b.jsonl', line: 2, kind: 'invalid', problem: 'not JSON' },
      { file: 'audit_log.b.jsonl', line: 3, kind: 'unfinished' },
    ]);
  });
});

describe('the development checkpoint key', () => {
  it('is generated once per directory and reused, its private half readable by its owner only', async () => {
    const dir = join(root, 'dev-key');
    const first = await loadCheckpointKey({ kind: 'development', dir });
    const second = await loadCheckpointKey({ kind: 'development', dir });
    expect(second.kid).toBe(first.kid);
    expect(statSync(join(dir, 'private.jwk.json')).mode & 0o777).toBe(0o600);
    const published = JSON.parse(readFileSync(join(dir, 'public.jwks.json'), 'utf8')) as { keys: Record<string, string>[] };
    expect(published.keys).toEqual([first.publicJwk]);
    expect(published.keys[0]).not.toHaveProperty('d');
  });

  it('refuses a key that is not a private Ed25519 JWK, without quoting it', async () => {
    const ec = JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'secret-x', y: 'secret-y', d: 'secret-d' });
    await expect(loadCheckpointKey({ kind: 'jwk', json: ec })).rejects.toThrow(/^The audit checkpoint key \(AUDIT_CHECKPOINT_KEY\) is not a private Ed25519 JWK: kty must be an OKP key/);
    await expect(loadCheckpointKey({ kind: 'jwk', json: ec })).rejects.not.toThrow(/secret/);
    const publicOnly = JSON.stringify({ ...key.publicJwk });
    await expect(loadCheckpointKey({ kind: 'jwk', json: publicOnly })).rejects.toThrow(/must be the private key/);
  });
});
