/**
 * The gateway's /healthz and /readyz: ready when the supergraph is loaded and the audit store
 * answers (without it every request fails closed); each subgraph's own /readyz, with its
 * agencies' circuit breakers, is reported beside them without making the gateway unready.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AUTH_DEFAULTS } from '../../gateway/auth/authConfig';
import { type RunningGateway, startGateway } from '../../gateway/createGateway';
import { type Database, openDatabase } from '../../lib/db/openDatabase';
import { SUPERGRAPH_PATH } from '../../schemas/loadSubgraphSdl';
import { useStack } from '../support/stack';

const stack = useStack({ persons: 100 });

const readyz = async (gateway: { url: string }) => {
  const response = await fetch(gateway.url.replace('/graphql', '/readyz'));
  return { status: response.status, body: (await response.json()) as { status: string; checks: Record<string, any> } };
};

/** A subgraph whose agency's breaker is open: its /readyz says so with 503. */
async function subgraphWithOpenBreaker(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    res.writeHead(req.url === '/readyz' ? 503 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'not ready', checks: { agencies: { 'vehicle registry': { breaker: 'open' } } } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql` };
}

describe('gateway health', () => {
  it('/healthz: alive; /readyz: supergraph loaded, audit store reachable, every subgraph ready with its breakers', async () => {
    const { gateway } = stack();
    const health = await fetch(gateway.url.replace('/graphql', '/healthz'));
    expect(await health.json()).toEqual({ status: 'ok' });
    const { status, body } = await readyz(gateway);
    expect(status).toBe(200);
    expect(body.status).toBe('ready');
    expect(body.checks.supergraph).toEqual({ status: 'loaded' });
    expect(body.checks.auditStore).toMatchObject({ status: 'reachable' });
    expect(Object.keys(body.checks.subgraphs).sort()).toEqual(['audit', 'bank', 'commerce', 'court', 'realestate', 'social-insurance', 'vehicle']);
    for (const subgraph of Object.values(body.checks.subgraphs)) {
      expect(subgraph).toMatchObject({ status: 'ready', httpStatus: 200, checks: expect.any(Object) });
    }
  });

  describe('a gateway whose vehicle subgraph has an open breaker and whose bank subgraph is down', () => {
    let gateway: RunningGateway;
    let database: Database;
    let fake: { server: Server; url: string };

    beforeAll(async () => {
      const s = stack();
      fake = await subgraphWithOpenBreaker();
      database = await openDatabase();
      gateway = await startGateway({
        port: 0,
        host: '127.0.0.1',
        production: false,
        supergraphPath: SUPERGRAPH_PATH,
        subgraphUrls: { ...Object.fromEntries(Object.entries(s.subgraphs).map(([name, sub]) => [name, sub.url])), vehicle: fake.url, bank: 'http://127.0.0.1:1/graphql' },
        subgraphSecret: s.subgraphSecret,
        auth: { ...AUTH_DEFAULTS, production: false },
        auditDatabaseUrl: undefined,
        auditDatabase: database,
        redisUrl: undefined,
        readinessTimeoutMs: 500,
      });
    });

    afterAll(async () => {
      await gateway.stop();
      await database.close();
      await new Promise((resolve) => fake.server.close(resolve));
    });

    it('stays ready (partial answers), reporting the open breaker and the unreachable subgraph', async () => {
      const { status, body } = await readyz(gateway);
      expect(status).toBe(200);
      expect(body.checks.subgraphs.vehicle).toEqual({ status: 'not ready', httpStatus: 503, checks: { agencies: { 'vehicle registry': { breaker: 'open' } } } });
      expect(body.checks.subgraphs.bank).toMatchObject({ status: 'unreachable', error: expect.any(String) });
      expect(body.checks.subgraphs.court).toMatchObject({ status: 'ready' });
    });

    it('is not ready (503) once its audit store cannot answer: it would refuse every request', async () => {
      await database.close();
      const { status, body } = await readyz(gateway);
      expect(status).toBe(503);
      expect(body.status).toBe('not ready');
      expect(body.checks.auditStore).toMatchObject({ status: 'unreachable', error: expect.stringContaining('after close') });
      expect(body.checks.supergraph).toEqual({ status: 'loaded' });
    });
  });
});
