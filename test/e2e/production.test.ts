import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { AuthConfig } from '../../gateway/auth/authConfig';
import { issueDevToken } from '../../gateway/auth/devIssuer';
import { postGraphQL } from '../support/postGraphQL';
import { useStack } from '../support/stack';

// A production issuer of the test's own: production refuses the development key.
const ISSUER = 'https://issuer.court.test';
const AUDIENCE = 'court-asset-graph';
const keys = generateKeyPair('ES256', { extractable: true });
const jwksPath = join(mkdtempSync(join(tmpdir(), 'cag-jwks-')), 'jwks.json');
const auth: AuthConfig = { jwks: { kind: 'file', path: jwksPath }, issuer: ISSUER, audience: AUDIENCE, production: true, clockToleranceSeconds: 30 };
beforeAll(async () => {
  const { publicKey } = await keys;
  writeFileSync(jwksPath, JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'prod-1', alg: 'ES256', use: 'sig' }] }));
});
const READINESS_TOKEN = 'an-operator-readiness-token-of-32-characters-or-more';
const METRICS_TOKEN = 'an-operator-metrics-token-of-32-characters-or-more';
const stack = useStack({ persons: 50, production: true, auth, readinessToken: READINESS_TOKEN, metricsToken: METRICS_TOKEN });

async function productionToken(): Promise<string> {
  return new SignJWT({ court: '浙0106', roles: ['query'] })
    .setProtectedHeader({ alg: 'ES256', kid: 'prod-1' })
    .setSubject('浙0106-007')
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign((await keys).privateKey);
}

describe('gateway in production mode', () => {
  it('refuses introspection', async () => {
    const answer = await postGraphQL(stack().gateway.url, '{ __schema { queryType { name } } }');
    expect(answer.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(answer.errors?.[0]?.message).toMatch(/introspection/i);
  });

  it('serves no Sandbox page', async () => {
    const response = await fetch(stack().gateway.url, { headers: { accept: 'text/html' } });
    expect(await response.text()).not.toContain('embeddable-sandbox');
  });

  it('answers a court with a token of the real issuer', async () => {
    const answer = await postGraphQL(stack().gateway.url, '{ courts { code } }', undefined, { authorization: `Bearer ${await productionToken()}` });
    expect(answer.data?.courts).toHaveLength(stack().population.courts.length);
  });

  it('tells anyone only whether it is ready; the detail is the operator\'s (READINESS_TOKEN)', async () => {
    const readyz = stack().gateway.url.replace('/graphql', '/readyz');
    const anyone = await fetch(readyz);
    expect({ status: anyone.status, body: await anyone.json() }).toEqual({ status: 200, body: { status: 'ready' } });
    const operator = await fetch(readyz, { headers: { authorization: `Bearer ${READINESS_TOKEN}` } });
    expect(operator.status).toBe(200);
    expect(await operator.json()).toMatchObject({ status: 'ready', checks: { supergraph: { status: 'loaded' }, auditStore: { status: 'reachable' }, subgraphs: { vehicle: { status: 'ready' } } } });
    const court = await fetch(readyz, { headers: { authorization: `Bearer ${await productionToken()}` } });
    expect({ status: court.status, body: await court.json() }).toMatchObject({ status: 401, body: { errors: [{ extensions: { code: 'UNAUTHENTICATED', reason: 'BAD_READINESS_TOKEN' } }] } });
  });

  it("shows /metrics of the gateway and of every subgraph only to the operator's METRICS_TOKEN", async () => {
    const servers = { gateway: stack().gateway.url, ...Object.fromEntries(Object.entries(stack().subgraphs).map(([name, s]) => [name, s.url])) };
    expect(Object.keys(servers)).toHaveLength(8);
    for (const [name, url] of Object.entries(servers)) {
      const metrics = new URL('/metrics', url).href;
      const anyone = await fetch(metrics);
      const wrong = await fetch(metrics, { headers: { authorization: 'Bearer not-the-metrics-token-but-as-long-as-one' } });
      const operator = await fetch(metrics, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect({ name, anyone: anyone.status, wrong: wrong.status, operator: operator.status }).toEqual({ name, anyone: 401, wrong: 401, operator: 200 });
      expect(await operator.text()).toContain('# TYPE cag_');
    }
  });

  it('refuses a development token', async () => {
    const dev = await issueDevToken({ kind: 'court', court: '浙0106', officer: '浙0106-007', roles: ['query'] });
    const answer = await postGraphQL(stack().gateway.url, '{ courts { code } }', undefined, { authorization: `Bearer ${dev}` });
    expect(answer.status).toBe(401);
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
