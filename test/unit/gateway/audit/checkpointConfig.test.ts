import { resolve } from 'node:path';
import { loadGatewayConfig } from '../../../../gateway/config';

const PRODUCTION = {
  NODE_ENV: 'production',
  SUBGRAPH_SECRET: 'a-production-secret-of-32-characters-or-more',
  JWKS_PATH: '/etc/court-asset-graph/jwks.json',
  TOKEN_ISSUER: 'https://issuer.example',
  TOKEN_AUDIENCE: 'court-asset-graph',
};

describe('gateway configuration: audit checkpoints', () => {
  it('outside production, keeps checkpoints and a generated key beside the database they anchor', () => {
    expect(loadGatewayConfig({}).auditCheckpoints).toEqual({
      dir: resolve('.data/audit-checkpoints'),
      key: { kind: 'development', dir: resolve('.data/audit-checkpoint-key') },
      intervalMs: 10_000,
    });
    expect(loadGatewayConfig({ AUDIT_DB: '/tmp/other-db' }).auditCheckpoints).toMatchObject({
      dir: '/tmp/other-db-checkpoints',
      key: { kind: 'development', dir: '/tmp/other-db-checkpoint-key' },
    });
    expect(loadGatewayConfig({ DATABASE_URL: 'postgres://db.example/audit' }).auditCheckpoints).toMatchObject({
      dir: resolve('.data/postgres-audit-checkpoints'),
    });
  });

  it('takes the directory, the key, the interval and the TSA from the environment', () => {
    expect(
      loadGatewayConfig({
        AUDIT_CHECKPOINT_DIR: '/var/lib/cag/checkpoints',
        AUDIT_CHECKPOINT_KEY_FILE: '/etc/cag/checkpoint.jwk.json',
        AUDIT_CHECKPOINT_INTERVAL_MS: '5000',
        AUDIT_TSA_URL: 'https://tsa.example/tsr',
        AUDIT_TSA_TIMEOUT_MS: '2000',
      }).auditCheckpoints,
    ).toEqual({
      dir: '/var/lib/cag/checkpoints',
      key: { kind: 'file', path: '/etc/cag/checkpoint.jwk.json' },
      intervalMs: 5000,
      tsa: { url: 'https://tsa.example/tsr', timeoutMs: 2000 },
    });
    expect(loadGatewayConfig({ AUDIT_CHECKPOINT_KEY: '{"kty":"OKP"}' }).auditCheckpoints?.key).toEqual({ kind: 'jwk', json: '{"kty":"OKP"}' });
  });

  it('production refuses to start without a checkpoint key and directory', () => {
    expect(() => loadGatewayConfig(PRODUCTION)).toThrow(
      new Error(
        'Invalid gateway configuration: AUDIT_CHECKPOINT_KEY_FILE (or AUDIT_CHECKPOINT_KEY) and AUDIT_CHECKPOINT_DIR required in production: ' +
          'the audit chain is anchored by checkpoints signed with a key the database does not hold',
      ),
    );
    expect(() => loadGatewayConfig({ ...PRODUCTION, AUDIT_CHECKPOINT_DIR: '/var/lib/cag' })).toThrow(/AUDIT_CHECKPOINT_KEY_FILE \(or AUDIT_CHECKPOINT_KEY\) required in production/);
    expect(loadGatewayConfig({ ...PRODUCTION, AUDIT_CHECKPOINT_DIR: '/var/lib/cag', AUDIT_CHECKPOINT_KEY_FILE: '/etc/cag/k.json' }).auditCheckpoints?.key).toEqual({
      kind: 'file',
      path: '/etc/cag/k.json',
    });
  });

  it('refuses two keys, a TSA that is not an http(s) URL, and an interval under 100 ms, without echoing a key', () => {
    expect(() => loadGatewayConfig({ AUDIT_CHECKPOINT_KEY_FILE: '/k', AUDIT_CHECKPOINT_KEY: '{"d":"secret"}' })).toThrow(
      new Error('Invalid gateway configuration: set AUDIT_CHECKPOINT_KEY_FILE or AUDIT_CHECKPOINT_KEY, not both'),
    );
    expect(() => loadGatewayConfig({ AUDIT_TSA_URL: 'ftp://tsa.example' })).toThrow(/AUDIT_TSA_URL: must be an http\(s\) URL/);
    expect(() => loadGatewayConfig({ AUDIT_CHECKPOINT_INTERVAL_MS: '10' })).toThrow(/AUDIT_CHECKPOINT_INTERVAL_MS/);
  });
});
