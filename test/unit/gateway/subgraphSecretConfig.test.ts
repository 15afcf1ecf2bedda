import { loadGatewayConfig } from '../../../gateway/config';

const SECRET = 'a-production-secret-of-32-characters-or-more';
/** What production needs besides the secret: the token issuer's keys and names, the audit checkpoints' key and directory. */
const PRODUCTION_AUTH = {
  JWKS_PATH: '/etc/court-asset-graph/jwks.json',
  TOKEN_ISSUER: 'https://issuer.example',
  TOKEN_AUDIENCE: 'court-asset-graph',
  AUDIT_CHECKPOINT_KEY_FILE: '/etc/court-asset-graph/checkpoint-key.jwk.json',
  AUDIT_CHECKPOINT_DIR: '/var/lib/court-asset-graph/checkpoints',
};

describe('gateway configuration: the subgraph secret', () => {
  it('takes SUBGRAPH_SECRET', () => {
    expect(loadGatewayConfig({ SUBGRAPH_SECRET: SECRET }).subgraphSecret).toBe(SECRET);
    expect(loadGatewayConfig({ NODE_ENV: 'production', SUBGRAPH_SECRET: SECRET, ...PRODUCTION_AUTH }).subgraphSecret).toBe(SECRET);
  });

  it('makes a random one per process in development when none is set', () => {
    const first = loadGatewayConfig({}).subgraphSecret;
    expect(first).toMatch(/^[\w-]{43}$/);
    expect(loadGatewayConfig({ SUBGRAPH_SECRET: '' }).subgraphSecret).not.toBe(first);
  });

  it('requires it in production', () => {
    expect(() => loadGatewayConfig({ NODE_ENV: 'production', ...PRODUCTION_AUTH })).toThrow(
      new Error('Invalid gateway configuration: SUBGRAPH_SECRET is required in production (at least 32 characters, the same for the gateway and every subgraph)'),
    );
  });

  it('refuses one shorter than 32 characters, without echoing it', () => {
    expect(() => loadGatewayConfig({ SUBGRAPH_SECRET: 'too-short' })).toThrow(
      new Error('Invalid gateway configuration: SUBGRAPH_SECRET: must be at least 32 characters long'),
    );
  });
});
