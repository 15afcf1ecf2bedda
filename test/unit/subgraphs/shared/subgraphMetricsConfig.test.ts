/** Who may scrape a subgraph's /metrics, from NODE_ENV and METRICS_TOKEN. */
import { loadSubgraphConfig } from '../../../../subgraphs/shared/subgraphConfig';

const SECRET = 's'.repeat(32);
const load = (vars: Record<string, string>) => loadSubgraphConfig('vehicle', {}, { SUBGRAPH_SECRET: SECRET, ...vars }).metrics;

describe('a subgraph reads its metrics settings', () => {
  it('is open outside production, and takes the token in production', () => {
    expect(load({})).toBeUndefined();
    expect(load({ METRICS_TOKEN: 'm'.repeat(32) })).toEqual({ production: false, token: 'm'.repeat(32) });
    expect(load({ NODE_ENV: 'production' })).toEqual({ production: true });
    expect(load({ NODE_ENV: 'production', METRICS_TOKEN: 'm'.repeat(32) })).toEqual({ production: true, token: 'm'.repeat(32) });
  });

  it('refuses a short token and an unknown NODE_ENV, by name', () => {
    expect(() => load({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be at least 32 characters long/);
    expect(() => load({ NODE_ENV: 'staging' })).toThrow(/NODE_ENV/);
  });
});
