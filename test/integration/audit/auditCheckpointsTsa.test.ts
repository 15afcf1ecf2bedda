/**
 * RFC 3161 time-stamping against the local TSA emulator (mocks/tsa): a round trip, every way
 * a TSA fails, and a failing or hanging TSA costing neither an append nor the checkpoint.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditCheckpointer } from '../../../lib/audit/checkpoints/auditCheckpointer';
import { AuditLog } from '../../../lib/audit/auditLog';
import { type CheckpointKey, loadCheckpointKey } from '../../../lib/audit/checkpoints/checkpointKey';
import type { StoredCheckpoint } from '../../../lib/audit/checkpoints/checkpointStore';
import { certificatesFromPem, checkTimestamp, requestTimestamp } from '../../../lib/audit/checkpoints/checkpointTimestamp';
import { openDatabase, type Database } from '../../../lib/db/openDatabase';
import { startTsaEmulator, type TsaEmulator } from '../../../mocks/tsa/server';
import { auditInput, uniqueTable } from '../../support/auditHarness';

const TSA_TIME = new Date('2025-05-06T07:08:09.000Z');
const DATA = new TextEncoder().encode('eyJhbGciOiJFZERTQSJ9.e30.c2ln');

let tsa: TsaEmulator;
let otherTsa: TsaEmulator;
let root = '';
let key: CheckpointKey;
beforeAll(async () => {
  [tsa, otherTsa] = await Promise.all([startTsaEmulator({ clock: () => TSA_TIME }), startTsaEmulator()]);
  root = mkdtempSync(join(tmpdir(), 'audit-tsa-'));
  key = await loadCheckpointKey({ kind: 'development', dir: join(root, 'key') });
});
afterAll(async () => {
  await Promise.all([tsa.close(), otherTsa.close()]);
  rmSync(root, { recursive: true, force: true });
});
beforeEach(() => {
  tsa.setFaults({ mode: 'none', extraLatencyMs: 0 });
  tsa.resetCalls();
});

describe('RFC 3161 time-stamps', () => {
  it('round trip: the token stamps exactly the data, at the TSA\'s time, chaining to its CA', async () => {
    const token = await requestTimestamp(tsa.url, DATA);
    expect(tsa.calls).toBe(1);
    const checked = await checkTimestamp(token, DATA, { trustedCerts: certificatesFromPem(tsa.caPem) });
    expect(checked.genTime).toEqual(TSA_TIME);
    expect(checked.tsa).toBe('CN=Court Asset Graph test TSA');
  });

  it('a token does not pass for other data', async () => {
    const token = await requestTimestamp(tsa.url, DATA);
    await expect(checkTimestamp(token, new TextEncoder().encode('another checkpoint'))).rejects.toThrow('its message imprint does not match the checkpoint');
  });

  it('a token of a TSA that is not trusted does not pass when a CA is named', async () => {
    const token = await requestTimestamp(otherTsa.url, DATA);
    await expect(checkTimestamp(token, DATA)).resolves.toMatchObject({ tsa: 'CN=Court Asset Graph test TSA' });
    await expect(checkTimestamp(token, DATA, { trustedCerts: certificatesFromPem(tsa.caPem) })).rejects.toThrow(/^its signature does not verify: Validation of signer's certificate failed/);
  });

  it('a token whose bytes were changed does not pass', async () => {
    const token = Buffer.from(await requestTimestamp(tsa.url, DATA));
    const sig = token.length - 10; // inside the signature at the end
    token[sig] = token[sig]! ^ 0xff;
    await expect(checkTimestamp(token, DATA)).rejects.toThrow(/signature does not verify|not an RFC 3161 time-stamp token/);
  });

  it.each([
    ['down', 'the TSA could not be reached: '],
    ['error500', 'the TSA answered HTTP 500'],
    ['garbage', 'the TSA answered something that is not a TimeStampResp'],
    ['rejection', 'the TSA refused: status 2 (the TSA is refusing requests)'],
    ['wrongImprint', 'its message imprint does not match the checkpoint'],
  ] as const)('a TSA that is %s is refused with the reason', async (mode, reason) => {
    tsa.setFaults({ mode });
    await expect(requestTimestamp(tsa.url, DATA)).rejects.toThrow(reason);
  });

  it('a TSA that does not answer is given up on after the time limit', async () => {
    tsa.setFaults({ mode: 'hang' });
    await expect(requestTimestamp(tsa.url, DATA, { timeoutMs: 200 })).rejects.toThrow('the TSA did not answer within 200 ms');
  });
});

describe('time-stamped checkpoints', () => {
  let db: Database;
  let log: AuditLog;
  beforeAll(async () => {
    db = await openDatabase();
    log = await AuditLog.open(db, { table: uniqueTable() });
    await log.append(auditInput({ requestId: 'req-1' }));
  });
  afterAll(() => db.close());

  function checkpointer(entries: StoredCheckpoint[], warnings: string[] = [], timeoutMs = 5000): AuditCheckpointer {
    return new AuditCheckpointer({
      log,
      key,
      store: { append: async (entry) => void entries.push(entry) },
      tsa: { url: tsa.url, timeoutMs },
      schedule: () => () => {},
      reporter: { warn: (details) => warnings.push(JSON.stringify(details)), error: () => {} },
    });
  }

  it('keep the TSA\'s token with the checkpoint, over the signed checkpoint', async () => {
    const entries: StoredCheckpoint[] = [];
    const made = checkpointer(entries);
    await made.checkpoint();
    const [entry] = entries;
    expect(entry?.timestamp).toEqual({ tsa: tsa.url, token: expect.any(String) });
    const token = Buffer.from((entry!.timestamp as { token: string }).token, 'base64');
    await expect(checkTimestamp(token, new TextEncoder().encode(entry!.checkpoint), { trustedCerts: certificatesFromPem(tsa.caPem) })).resolves.toMatchObject({ genTime: TSA_TIME });
    expect(made.stats).toEqual({ written: 1, stamped: 1, unstamped: 0, failed: 0 });
  });

  it('are kept unstamped, with the reason, and reported, when the TSA is down', async () => {
    tsa.setFaults({ mode: 'error500' });
    const entries: StoredCheckpoint[] = [];
    const warnings: string[] = [];
    const made = checkpointer(entries, warnings);
    await made.checkpoint();
    expect(entries).toEqual([{ checkpoint: expect.any(String), timestamp: { tsa: tsa.url, error: 'the TSA answered HTTP 500' } }]);
    expect(warnings).toEqual([JSON.stringify({ tsa: tsa.url, headId: 1, reason: 'the TSA answered HTTP 500' })]);
    expect(made.stats).toEqual({ written: 1, stamped: 0, unstamped: 1, failed: 0 });
  });

  it('never hold up an append while the TSA hangs, and are kept unstamped once it gives up', async () => {
    tsa.setFaults({ mode: 'hang' });
    const entries: StoredCheckpoint[] = [];
    const made = checkpointer(entries, [], 60_000);
    let settled = false;
    const inFlight = made.checkpoint().finally(() => (settled = true));
    await until(() => tsa.calls === 1); // the TSA holds the request

    const appended = await log.append(auditInput({ requestId: 'req-2' }));
    expect(appended.id).toBe(2);
    expect(settled).toBe(false);
    expect(entries).toEqual([]);

    tsa.setFaults({ mode: 'none' }); // resets what it held
    await inFlight;
    expect(entries).toEqual([{ checkpoint: expect.any(String), timestamp: { tsa: tsa.url, error: expect.stringMatching(/^the TSA could not be reached: /) } }]);
  });
});

/** Waits for a condition another party makes true (a request reaching the emulator), a turn of the event loop at a time. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
