/**
 * The audit against a PostgreSQL server (CI sets DATABASE_URL): several gateways keep one
 * chain, and a gateway whose audit database goes away answers nothing.
 */
import { randomUUID } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { type Stack, startStack } from '../../bin/startStack';
import { openDatabase } from '../../lib/db/openDatabase';
import { createPopulation } from '../../mocks/population';
import { postInCase } from '../support/courtRequest';

const DATABASE_URL = process.env.DATABASE_URL;
const population = createPopulation({ persons: 100 });
const rich = population.scenarios.richDebtor;
const LOOK = `{ person(idNumber: "${rich.idNumber}") { name } }`;
const look = (stack: Stack) => postInCase(stack.gateway.url, population, rich.caseNumber, LOOK);
const tables: string[] = [];
const table = () => {
  const name = `audit_e2e_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  tables.push(name);
  return name;
};

/** A TCP hop between gateway and PostgreSQL that the test can cut, like a database going away. */
async function startCuttableProxy(target: URL): Promise<{ url: string; cut(): void; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let open = true;
  const server: Server = createServer((client) => {
    if (!open) return void client.destroy();
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const via = new URL(target.href);
  via.hostname = '127.0.0.1';
  via.port = String((server.address() as AddressInfo).port);
  return {
    url: via.href,
    cut() {
      open = false;
      for (const s of sockets) s.destroy();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

(DATABASE_URL ? describe : describe.skip)('audit on PostgreSQL', () => {
  jest.setTimeout(60_000);
  afterAll(async () => {
    const db = await openDatabase({ url: DATABASE_URL });
    for (const name of tables) {
      await db.query(`DROP TABLE IF EXISTS "${name}" CASCADE`);
      await db.query(`DROP FUNCTION IF EXISTS "${name}_append_only"() CASCADE`);
    }
    await db.close();
  });

  it('two gateways on one PostgreSQL keep one valid chain', async () => {
    const auditTable = table();
    const [a, b] = await Promise.all([
      startStack({ population, agencyLatencyMs: 0, auditDatabaseUrl: DATABASE_URL, auditTable }),
      startStack({ population, agencyLatencyMs: 0, auditDatabaseUrl: DATABASE_URL, auditTable }),
    ]);
    try {
      const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => look(i % 2 === 0 ? a : b)));
      expect(answers.every((r) => r.errors === undefined)).toBe(true);
      await expect(a.gateway.audit.verify()).resolves.toEqual({ ok: true, count: 40 });
      const rows = await a.gateway.audit.reviewOf('浙0106');
      expect(new Set(rows.map((r) => r.requestId)).size).toBe(40);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('answers nothing while its audit database is unreachable, and resumes when it is back', async () => {
    const proxy = await startCuttableProxy(new URL(DATABASE_URL!));
    const auditTable = table();
    const stack = await startStack({ population, agencyLatencyMs: 0, auditDatabaseUrl: proxy.url, auditTable });
    try {
      expect((await look(stack)).errors).toBeUndefined();
      proxy.cut();
      const refused = await Promise.all([look(stack), look(stack), look(stack)]);
      for (const answer of refused) {
        expect(answer.status).toBe(503);
        expect(answer.data).toBeUndefined();
        expect(answer.errors).toEqual([{ message: 'The request could not be written to the audit log, so it is not answered.', extensions: { code: 'AUDIT_UNAVAILABLE' } }]);
      }
    } finally {
      await stack.stop().catch(() => undefined);
      await proxy.close();
    }
    // Only the request answered before the cut is on record.
    const again = await startStack({ population, agencyLatencyMs: 0, auditDatabaseUrl: DATABASE_URL, auditTable });
    try {
      await expect(again.gateway.audit.verify()).resolves.toEqual({ ok: true, count: 1 });
    } finally {
      await again.stop();
    }
  });
});
