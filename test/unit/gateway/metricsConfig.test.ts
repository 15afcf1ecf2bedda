/** METRICS_TOKEN and METRICS_OPERATIONS in the gateway's configuration. */
import { loadGatewayConfig } from '../../../gateway/config';

const env = (vars: Record<string, string>) => ({ NODE_ENV: 'test', AUDIT_DB: '/tmp/unused-audit', ...vars });

describe('the gateway reads its metrics settings', () => {
  it('takes a metrics token of at least 32 characters, and an empty one as unset', () => {
    expect(loadGatewayConfig(env({ METRICS_TOKEN: 't'.repeat(32) })).metricsToken).toBe('t'.repeat(32));
    expect(loadGatewayConfig(env({ METRICS_TOKEN: '' })).metricsToken).toBeUndefined();
    expect(() => loadGatewayConfig(env({ METRICS_TOKEN: 'short' }))).toThrow(/METRICS_TOKEN: must be at least 32 characters long/);
  });

  it('takes configured operation names, refusing what is not a GraphQL name', () => {
    expect(loadGatewayConfig(env({ METRICS_OPERATIONS: 'Docket, Review' })).metricsOperations).toEqual(['Docket', 'Review']);
    expect(loadGatewayConfig(env({})).metricsOperations).toEqual([]);
    expect(() => loadGatewayConfig(env({ METRICS_OPERATIONS: 'Docket,330106 x' }))).toThrow(/METRICS_OPERATIONS/);
  });
});
