/**
 * The gateway's /healthz and /readyz: ready when the supergraph is loaded and the audit store
 * answers (without it every request fails closed); each subgraph's own /readyz, with its
 * agencies' circuit breakers, is reported beside them without making the gateway unready.
 * In production that detail is an operator's (READINESS_TOKEN); anyone else gets the status.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { AUTH_DEFAULTS, type AuthConfig } from '../../../gateway/auth/authConfig';
import { loadGatewayConfig } from '../../../gateway/config';
import { type RunningGateway, startGateway } from '../../../gateway/createGateway';
import { type Database, openDatabase } from '../../../lib/db/openDatabase';
import { SUPERGRAPH_PATH } from '../../../schemas/loadSubgraphSdl';
import { useStack } from '../../support/stack';

const stack = useStack({ persons: 100 });

const readyz = async (gateway: { url: string }, headers: Record<string, string> = {}) => {
  const response = await fetch(gateway.url.replace('/graphql', '/readyz'), { headers });
  return { status: response.status, wwwAuthenticate: response.headers.get('www-authenticate'), body: (await response.json()) as { status: string; checks: Record<string, any> } };
};

const OPERATOR_TOKEN = 'an-operator-readiness-token-of-32-characters-or-more';

/** A production token issuer's public keys (production refuses the development key). */
async function productionAuth(): Promise<AuthConfig> {
  const { publicKey } = await generateKeyPair('ES256', { extractable: true });
  const path = join(mkdtempSync(join(tmpdir(), 'cag-readiness-jwks-')), 'jwks.json');
  writeFileSync(path, JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'prod-1', alg: 'ES256', use: 'sig' }] }));
  return { jwks: { kind: 'file', path }, issuer: 'https://issuer.court.test', audience: 'court-asset-graph', production: true, clockToleranceSeconds: 30 };
}

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

describe('/readyz of a gateway in production', () => {
  let database: Database;
  const gateways: RunningGateway[] = [];
  const production = async (readinessToken: string | undefined, db: Database) => {
    const s = stack();
    const gateway = await startGateway({
      port: 0,
      host: '127.0.0.1',
      production: true,
      supergraphPath: SUPERGRAPH_PATH,
      subgraphUrls: Object.fromEntries(Object.entries(s.subgraphs).map(([name, sub]) => [name, sub.url])),
      subgraphSecret: s.subgraphSecret,
      auth: await productionAuth(),
      auditDatabaseUrl: undefined,
      auditDatabase: db,
      redisUrl: undefined,
      readinessToken,
    });
    gateways.push(gateway);
    return gateway;
  };

  beforeAll(async () => {
    database = await openDatabase();
  });
  afterAll(async () => {
    for (const g of gateways) await g.stop();
    await database.close();
  });

  it('tells anyone only whether it is ready, and the operator with READINESS_TOKEN everything', async () => {
    const gateway = await production(OPERATOR_TOKEN, database);
    expect(await readyz(gateway)).toEqual({ status: 200, wwwAuthenticate: null, body: { status: 'ready' } });
    const operator = await readyz(gateway, { authorization: `Bearer ${OPERATOR_TOKEN}` });
    expect(operator.status).toBe(200);
    expect(operator.body).toMatchObject({ status: 'ready', checks: { supergraph: { status: 'loaded' }, auditStore: { status: 'reachable' } } });
    expect(Object.keys(operator.body.checks.subgraphs).sort()).toEqual(['audit', 'bank', 'commerce', 'court', 'realestate', 'social-insurance', 'vehicle']);
  });

  it('refuses any other Authorization with a coded 401', async () => {
    const gateway = await production(OPERATOR_TOKEN, database);
    for (const [authorization, reason] of [
      [`Bearer ${OPERATOR_TOKEN}x`, 'BAD_READINESS_TOKEN'],
      ['Bearer short', 'BAD_READINESS_TOKEN'],
      [OPERATOR_TOKEN, 'MALFORMED'],
      [`Basic ${Buffer.from(`ops:${OPERATOR_TOKEN}`).toString('base64')}`, 'MALFORMED'],
    ] as const) {
      const answer = await readyz(gateway, { authorization });
      expect(answer).toEqual({
        status: 401,
        wwwAuthenticate: 'Bearer realm="court-asset-graph readiness"',
        body: { errors: [{ message: expect.any(String), extensions: { code: 'UNAUTHENTICATED', reason } }] },
      });
    }
  });

  it('without READINESS_TOKEN shows the detail to nobody', async () => {
    const gateway = await production(undefined, database);
    expect(await readyz(gateway)).toEqual({ status: 200, wwwAuthenticate: null, body: { status: 'ready' } });
    expect((await readyz(gateway, { authorization: 'Bearer anything-at-all-of-32-characters-or-more' })).body).toMatchObject({
      errors: [{ extensions: { code: 'UNAUTHENTICATED', reason: 'BAD_READINESS_TOKEN' } }],
    });
  });

  it('answers 503 {status} alone when its audit store is gone; the operator sees why', async () => {
    const own = await openDatabase();
    const gateway = await production(OPERATOR_TOKEN, own);
    await own.close();
    expect(await readyz(gateway)).toEqual({ status: 503, wwwAuthenticate: null, body: { status: 'not ready' } });
    const operator = await readyz(gateway, { authorization: `Bearer ${OPERATOR_TOKEN}` });
    expect(operator.status).toBe(503);
    expect(operator.body.checks.auditStore).toMatchObject({ status: 'unreachable', error: expect.stringContaining('after close') });
  });

  it('takes the token from READINESS_TOKEN, at least 32 characters, without echoing a short one', () => {
    // Read the same in any environment; production is where it matters.
    const env = { SUBGRAPH_SECRET: 'a-secret-of-32-characters-or-more-for-tests' };
    expect(loadGatewayConfig({ ...env, READINESS_TOKEN: OPERATOR_TOKEN }).readinessToken).toBe(OPERATOR_TOKEN);
    expect(loadGatewayConfig({ ...env, READINESS_TOKEN: '' }).readinessToken).toBeUndefined();
    expect(() => loadGatewayConfig({ ...env, READINESS_TOKEN: 'too-short' })).toThrow(new Error('Invalid gateway configuration: READINESS_TOKEN: must be at least 32 characters long'));
  });
});
