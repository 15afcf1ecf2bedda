/**
 * Checkpoints through the real stack (startStack, as `npm start` runs it), on both backends:
 * a court is answered while a checkpoint waits on a hanging TSA; stopping the gateway signs
 * and time-stamps the final head; `audit:verify` then says how far the log is anchored, and
 * names the tail someone cuts off afterwards.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditVerify } from '../../../bin/auditVerify';
import { type Stack, startStack } from '../../../stack/startStack';
import type { WrittenCheckpoint } from '../../../lib/audit/checkpoints/auditCheckpointer';
import { openDatabase } from '../../../lib/db/openDatabase';
import { createPopulation } from '../../../mocks/population';
import { startTsaEmulator, type TsaEmulator } from '../../../mocks/tsa/server';
import { BACKENDS } from '../../support/backends';
import { postInCase } from '../../support/courtRequest';
import { tamper } from '../../support/auditHarness';

const population = createPopulation({ persons: 50 });
const rich = population.scenarios.richDebtor;
const LOOK = `{ person(idNumber: "${rich.idNumber}") { name } }`;

async function verifyWith(env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string[]; stderr: string[] }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await auditVerify(env, { log: (l) => stdout.push(l), error: (l) => stderr.push(l) });
  return { code, stdout, stderr };
}

describe.each(BACKENDS)('audit checkpoints of the running stack on $name', (backend) => {
  const tag = randomUUID().replace(/-/g, '').slice(0, 10);
  const auditTable = backend.name === 'postgres' ? `audit_test_${tag}` : undefined;
  let root = '';
  let databaseUrl = '';
  let tsa: TsaEmulator;
  let stack: Stack;
  let env: NodeJS.ProcessEnv = {};

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'audit-checkpoints-stack-'));
    databaseUrl = backend.url ?? `pglite://${encodeURI(join(root, 'db'))}`;
    tsa = await startTsaEmulator();
    writeFileSync(join(root, 'tsa-ca.pem'), tsa.caPem);
    stack = await startStack({
      population,
      agencyLatencyMs: 0,
      auditDatabaseUrl: databaseUrl,
      ...(auditTable ? { auditTable, agencyTablePrefix: `t${tag}_` } : {}),
      // An hour: within the test only the checkpoints it asks for, and the one on stop.
      auditCheckpoints: { dir: join(root, 'checkpoints'), key: { kind: 'development', dir: join(root, 'key') }, intervalMs: 3_600_000, tsa: { url: tsa.url, timeoutMs: 60_000 } },
    });
    env = {
      ...(backend.url ? { DATABASE_URL: backend.url } : { AUDIT_DB: join(root, 'db') }),
      ...(auditTable ? { AUDIT_TABLE: auditTable } : {}),
      AUDIT_CHECKPOINT_DIR: join(root, 'checkpoints'),
      AUDIT_CHECKPOINT_PUBLIC_KEYS: join(root, 'key', 'public.jwks.json'),
      AUDIT_TSA_CERTS: join(root, 'tsa-ca.pem'),
    };
  });

  afterAll(async () => {
    await stack?.stop().catch(() => {});
    await tsa?.close();
    if (backend.url && auditTable) {
      const db = await openDatabase({ url: backend.url });
      await db.query(`DROP TABLE IF EXISTS "${auditTable}" CASCADE`);
      await db.query(`DROP FUNCTION IF EXISTS "${auditTable}_append_only"() CASCADE`);
      const { rows } = await db.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE starts_with(tablename, $1)`, [`t${tag}_`]);
      for (const { tablename } of rows) await db.query(`DROP TABLE IF EXISTS "${tablename}" CASCADE`);
      await db.close();
    }
    rmSync(root, { recursive: true, force: true });
  });

  it('answers a court while a checkpoint waits on a TSA that hangs; the checkpoint is then kept unstamped', async () => {
    expect((await postInCase(stack.gateway.url, population, rich.caseNumber, LOOK)).errors).toBeUndefined();
    tsa.setFaults({ mode: 'hang' });
    let settled = false;
    const inFlight = stack.gateway.checkpoints!.checkpoint().finally(() => (settled = true));
    while (tsa.calls === 0) await new Promise((resolve) => setImmediate(resolve));

    const answer = await postInCase(stack.gateway.url, population, rich.caseNumber, LOOK);
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({ person: { name: expect.any(String) } });
    expect(settled).toBe(false);

    tsa.setFaults({ mode: 'none' });
    const written = (await inFlight) as WrittenCheckpoint;
    expect(written.timestamp).toEqual({ tsa: tsa.url, error: expect.stringMatching(/^the TSA could not be reached: /) });
    expect(stack.gateway.checkpoints!.stats).toMatchObject({ written: 1, unstamped: 1 });
  });

  it('signs and time-stamps the final head on stop; audit:verify says the whole log is anchored', async () => {
    for (let i = 0; i < 3; i += 1) expect((await postInCase(stack.gateway.url, population, rich.caseNumber, LOOK)).errors).toBeUndefined();
    const head = (await stack.gateway.audit.chainHead())!;
    await stack.stop();
    const result = await verifyWith(env);
    expect(result).toEqual({
      code: 0,
      stdout: [expect.stringMatching(new RegExp(`^audit chain OK: ${head.id} records, anchored up to record ${head.id} by checkpoint of \\S+, time-stamped \\S+ by CN=Court Asset Graph test TSA$`))],
      stderr: [],
    });
  });

  it('names the tail cut off the stopped stack\'s log afterwards', async () => {
    const db = await openDatabase({ url: databaseUrl });
    const table = auditTable ?? 'audit_log';
    let newest = 0;
    try {
      newest = Number((await db.query<{ id: string }>(`SELECT max(id) AS id FROM "${table}"`)).rows[0]!.id);
      await tamper(db, table, `DELETE FROM "${table}" WHERE id = $1`, [newest]);
    } finally {
      await db.close();
    }
    const result = await verifyWith(env);
    // The newest record was a request's outcome: with it gone, that request's intent stands alone.
    expect(result).toEqual({
      code: 3,
      stdout: [
        expect.stringMatching(new RegExp(`^audit chain CUT: the log ends at record ${newest - 1} but checkpoint of \\S+ covers ${newest} records$`)),
        expect.stringMatching(new RegExp(`^audit: 1 request cut off, an intent with no outcome \\(.+\\): \\S+ \\(record ${newest - 1}, \\S+\\)$`)),
      ],
      stderr: [],
    });
  });
});
