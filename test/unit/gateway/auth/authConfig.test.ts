import { AUTH_DEFAULTS, loadAuthConfig } from '../../../../gateway/auth/authConfig';
import { DEV_AUDIENCE, DEV_ISSUER, DEV_JWKS_PATH } from '../../../../gateway/auth/devIssuer';

const PRODUCTION = {
  NODE_ENV: 'production',
  JWKS_URL: 'https://id.court.example/.well-known/jwks.json',
  TOKEN_ISSUER: 'https://id.court.example',
  TOKEN_AUDIENCE: 'court-asset-graph',
};

describe('authentication configuration', () => {
  it('defaults to the development issuer outside production', () => {
    expect(loadAuthConfig({})).toEqual({
      jwks: { kind: 'file', path: DEV_JWKS_PATH },
      issuer: DEV_ISSUER,
      audience: DEV_AUDIENCE,
      production: false,
      clockToleranceSeconds: 30,
    });
    expect(loadAuthConfig({})).toEqual(AUTH_DEFAULTS);
  });

  it('treats empty variables as unset', () => {
    expect(loadAuthConfig({ JWKS_PATH: '', JWKS_URL: '', TOKEN_ISSUER: '', TOKEN_AUDIENCE: '' })).toEqual(AUTH_DEFAULTS);
  });

  it('reads a JWKS file, issuer and audience', () => {
    expect(loadAuthConfig({ JWKS_PATH: '/etc/court/jwks.json', TOKEN_ISSUER: 'iss', TOKEN_AUDIENCE: 'aud' })).toEqual({
      ...AUTH_DEFAULTS,
      jwks: { kind: 'file', path: '/etc/court/jwks.json' },
      issuer: 'iss',
      audience: 'aud',
    });
  });

  it('reads a production configuration with a JWKS URL', () => {
    expect(loadAuthConfig(PRODUCTION)).toEqual({
      jwks: { kind: 'url', url: PRODUCTION.JWKS_URL },
      issuer: PRODUCTION.TOKEN_ISSUER,
      audience: PRODUCTION.TOKEN_AUDIENCE,
      production: true,
      clockToleranceSeconds: 30,
    });
  });

  it('allows plain http for a JWKS URL on loopback in production', () => {
    expect(loadAuthConfig({ ...PRODUCTION, JWKS_URL: 'http://127.0.0.1:8080/jwks.json' }).jwks).toEqual({ kind: 'url', url: 'http://127.0.0.1:8080/jwks.json' });
  });

  it.each([
    [{ JWKS_PATH: '/a.json', JWKS_URL: 'https://b/jwks' }, 'JWKS_URL: set JWKS_PATH or JWKS_URL, not both'],
    [{ JWKS_URL: 'not a url' }, 'JWKS_URL: must be an http(s) URL'],
    [{ JWKS_URL: 'ftp://issuer/jwks' }, 'JWKS_URL: must be an http(s) URL'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV: Invalid option: expected one of "development"|"production"|"test"'],
    [
      { NODE_ENV: 'production' },
      'JWKS_PATH: production needs the token issuer\'s keys: set JWKS_PATH or JWKS_URL; TOKEN_ISSUER: is required in production; TOKEN_AUDIENCE: is required in production',
    ],
    [{ ...PRODUCTION, TOKEN_AUDIENCE: undefined }, 'TOKEN_AUDIENCE: is required in production'],
    [{ ...PRODUCTION, JWKS_URL: 'http://id.court.example/jwks.json' }, 'JWKS_URL: must be https in production (plain http only on loopback)'],
  ])('refuses %p', (env, issues) => {
    expect(() => loadAuthConfig(env)).toThrow(new Error(`Invalid authentication configuration: ${issues}`));
  });
});
