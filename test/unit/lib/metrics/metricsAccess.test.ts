/**
 * Who may scrape /metrics, through serveGraphQL's route: open in development; in production
 * only with the metrics token, and not there at all (404) without one configured.
 */
import { ApolloServer } from '@apollo/server';
import { Counter } from 'prom-client';
import { serveGraphQL, type ServedGraphQL } from '../../../../lib/http/serveGraphQL';
import { type MetricsAccess, metricsView } from '../../../../lib/metrics/metricsAccess';
import { createMetricsRegistry } from '../../../../lib/metrics/metricsRegistry';

const TOKEN = 'm'.repeat(40);

async function serve(access: MetricsAccess | undefined): Promise<ServedGraphQL> {
  const registry = createMetricsRegistry();
  new Counter({ name: 'cag_test_things_total', help: 'Things.', registers: [registry] }).inc(3);
  return serveGraphQL({
    createServer: (plugins) => new ApolloServer({ typeDefs: 'type Query { ok: Boolean }', plugins }),
    context: async () => ({}),
    ...(access ? { metrics: { registry, view: metricsView(access) } } : {}),
  });
}

const scrape = (served: ServedGraphQL, headers: Record<string, string> = {}) => fetch(new URL('/metrics', served.url), { headers });

describe('GET /metrics', () => {
  const servers: ServedGraphQL[] = [];
  const started = async (access: MetricsAccess | undefined) => {
    const served = await serve(access);
    servers.push(served);
    return served;
  };
  afterAll(async () => {
    for (const served of servers) await served.stop();
  });

  it("is open in development, with the registry's content type and the process's own series", async () => {
    const response = await scrape(await started({ production: false }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await response.text();
    expect(text).toContain('cag_test_things_total 3');
    expect(text).toContain('cag_process_cpu_seconds_total');
    // Gauges named like counters are left out (Prometheus naming).
    expect(text).not.toMatch(/^cag_nodejs_active_handles_total/m);
  });

  it('is 404 in production without a metrics token, whatever the request shows', async () => {
    const served = await started({ production: true });
    expect((await scrape(served)).status).toBe(404);
    expect((await scrape(served, { authorization: `Bearer ${TOKEN}` })).status).toBe(404);
  });

  it('answers in production only the metrics token; anything else is 401 with the scheme', async () => {
    const served = await started({ production: true, token: TOKEN });
    expect((await scrape(served, { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    for (const authorization of [undefined, `Bearer ${TOKEN}x`, TOKEN, 'Basic abc']) {
      const response = await scrape(served, authorization === undefined ? {} : { authorization });
      expect({ authorization, status: response.status, scheme: response.headers.get('www-authenticate') }).toEqual({
        authorization,
        status: 401,
        scheme: 'Bearer realm="metrics"',
      });
      expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    }
  });

  it('is 404 on a server given no metrics', async () => {
    expect((await scrape(await started(undefined))).status).toBe(404);
  });

  it('gives every server a registry of its own', async () => {
    const [a, b] = [createMetricsRegistry(), createMetricsRegistry()];
    new Counter({ name: 'cag_only_a_total', help: 'A.', registers: [a] }).inc();
    expect(await a.metrics()).toContain('cag_only_a_total');
    expect(await b.metrics()).not.toContain('cag_only_a_total');
  });
});
