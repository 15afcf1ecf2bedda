/**
 * A subgraph's agency series over real sockets (a local HTTP server stands in for the agency):
 * calls by agency, provider and outcome code, the breaker's state, the pool's saturation and
 * control acts by status, with nothing of the request in any label.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { createMetricsRegistry } from '../../../../lib/metrics/metricsRegistry';
import { AgencyChannels } from '../../../../subgraphs/shared/agencyChannels';
import { AgencyHttp } from '../../../../subgraphs/shared/agencyHttp';
import { registerAgencyMetrics } from '../../../../subgraphs/shared/agencyMetrics';
import { ControlClient } from '../../../../subgraphs/shared/measures/controlClient';
import { parseExposition, sampleSum } from '../../../support/metricsScrape';

/** Answers `/ok` with JSON, `/fail` with 500, `/control/renew` with a refusal, `/slow` after it is released. */
function fakeAgency(): Promise<{ url: string; server: Server; release(): void }> {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  const server = createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    req.resume();
    if (req.url === '/ok') return send(200, { n: '1' });
    if (req.url === '/fail') return send(500, { error: 'down' });
    if (req.url === '/control/renew') return send(409, { code: 'MEASURE_NOT_FOUND', message: 'no such measure' });
    if (req.url === '/slow') return void held.then(() => send(200, { n: '2' }));
    send(404, {});
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, release })));
}

describe('registerAgencyMetrics', () => {
  it('counts calls and acts, and reads breakers and pools at each scrape', async () => {
    const agency = await fakeAgency();
    const channels = new AgencyChannels({ resilience: { retries: 0, breakerFailures: 2, maxConnections: 1 } });
    const registry = createMetricsRegistry();
    registerAgencyMetrics(registry, channels);
    const ncb = new AgencyHttp({ agency: 'bank', provider: 'NCB', baseUrl: agency.url, channels });
    const registryClient = new AgencyHttp({ agency: 'vehicle registry', baseUrl: agency.url, channels });
    const control = new ControlClient({ agency: 'commerce registry', baseUrl: agency.url, prefix: '/control', channels });
    const schema = z.object({ n: z.string() });
    try {
      await ncb.get('/ok', schema);
      await expect(registryClient.get('/fail', schema)).rejects.toMatchObject({ code: 'AGENCY_UNAVAILABLE' });
      await expect(registryClient.get('/fail', schema)).rejects.toMatchObject({ code: 'AGENCY_UNAVAILABLE' });
      expect(await control.renew({ courtCode: '浙0106', caseNumber: '(2025)浙0106执1001号' }, '7', 30, 'D-1')).toMatchObject({ refused: { code: 'MEASURE_NOT_FOUND' } });
      // One socket: a second call waits in the pool's queue while the first is held.
      const slow = [ncb.get('/slow', schema), ncb.get('/slow', schema)];
      await new Promise((resolve) => setTimeout(resolve, 50));
      const busy = parseExposition(await registry.metrics());
      expect(sampleSum(busy, 'cag_agency_pool_active_requests', { agency: 'bank', provider: 'NCB' })).toBe(1);
      expect(sampleSum(busy, 'cag_agency_pool_queued_requests', { agency: 'bank', provider: 'NCB' })).toBe(1);
      expect(sampleSum(busy, 'cag_agency_pool_max_connections', { agency: 'bank', provider: 'NCB' })).toBe(1);
      agency.release();
      await Promise.all(slow);

      const exposition = parseExposition(await registry.metrics());
      const calls = (labels: Record<string, string>) => sampleSum(exposition, 'cag_agency_calls_total', labels);
      expect(calls({ agency: 'bank', provider: 'NCB', call: 'read', outcome: 'ok' })).toBe(3);
      expect(calls({ agency: 'vehicle registry', call: 'read', outcome: 'AGENCY_UNAVAILABLE' })).toBe(2);
      expect(calls({ agency: 'commerce registry', call: 'control', outcome: 'AGENCY_REFUSED' })).toBe(1);
      expect(sampleSum(exposition, 'cag_agency_call_duration_seconds_count')).toBe(6);
      // Two failures in a row opened the vehicle registry's breaker; the bank's is closed.
      expect(sampleSum(exposition, 'cag_agency_breaker_state', { agency: 'vehicle registry', state: 'open' })).toBe(1);
      expect(sampleSum(exposition, 'cag_agency_breaker_state', { agency: 'vehicle registry', state: 'closed' })).toBe(0);
      expect(sampleSum(exposition, 'cag_agency_breaker_state', { agency: 'bank', provider: 'NCB', state: 'closed' })).toBe(1);
      expect(sampleSum(exposition, 'cag_control_acts_total', { agency: 'commerce registry', act: 'renew', kind: 'none', status: 'REFUSED' })).toBe(1);
      expect(exposition.text).not.toContain('浙0106');
    } finally {
      await channels.close();
      agency.server.close();
    }
  });

  it('leaves calls alone when nothing observes them', async () => {
    const agency = await fakeAgency();
    const channels = new AgencyChannels();
    try {
      expect(await new AgencyHttp({ agency: 'bank', provider: 'WEB', baseUrl: agency.url, channels }).get('/ok', z.object({ n: z.string() }))).toEqual({ n: '1' });
    } finally {
      await channels.close();
      agency.server.close();
    }
  });
});
