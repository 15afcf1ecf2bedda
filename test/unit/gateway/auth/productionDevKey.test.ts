import { readFileSync } from 'node:fs';
import type { JWK } from 'jose';
import { type AuthConfig, AUTH_DEFAULTS } from '../../../../gateway/auth/authConfig';
import { createTokenVerifier, startTokenVerifier } from '../../../../gateway/auth/createTokenVerifier';
import { DEV_JWKS_PATH, DEV_KID, issueDevToken } from '../../../../gateway/auth/devIssuer';
import { devSigningKey, newSigningKey, refused, refusalOf, serveJwks, type SigningKey, signToken, writeJwksFile } from '../../../support/authHarness';

const ISSUER = 'https://id.court.example/issuer';
const AUDIENCE = 'court-asset-graph';
const DEV_PUBLIC_JWK = (JSON.parse(readFileSync(DEV_JWKS_PATH, 'utf8')) as { keys: JWK[] }).keys[0]!;
const production = (jwks: AuthConfig['jwks']): AuthConfig => ({ ...AUTH_DEFAULTS, jwks, issuer: ISSUER, audience: AUDIENCE, production: true });

let real: SigningKey;
beforeAll(async () => {
  real = await newSigningKey('court-issuer-2025');
});

describe('production refuses the development key', () => {
  it('refuses to start on the development JWKS', () => {
    expect(() => createTokenVerifier(production({ kind: 'file', path: DEV_JWKS_PATH }))).toThrow(
      `Refusing to start in production: the JWKS file ${DEV_JWKS_PATH} contains the development key (kid ${DEV_KID}); configure the real issuer's keys.`,
    );
  });

  it('refuses to start on a JWKS holding the development key under another kid', () => {
    const path = writeJwksFile([real.publicJwk, { ...DEV_PUBLIC_JWK, kid: 'innocent-looking' }]);
    expect(() => createTokenVerifier(production({ kind: 'file', path }))).toThrow(/^Refusing to start in production: the JWKS file .* contains the development key/);
  });

  it('the development issuer is accepted outside production', () => {
    expect(() => createTokenVerifier({ ...AUTH_DEFAULTS, production: false })).not.toThrow();
  });

  it('accepts the real issuer\'s token and refuses a development token, even one with the right issuer and audience', async () => {
    const verify = createTokenVerifier(production({ kind: 'file', path: writeJwksFile([real.publicJwk]) }));
    await expect(verify(`Bearer ${await signToken({ iss: ISSUER, aud: AUDIENCE }, real)}`)).resolves.toEqual({
      kind: 'court',
      court: '浙0106',
      officer: '浙0106-007',
      roles: ['query'],
    });
    const devToken = await issueDevToken({ kind: 'court', court: '浙0106', officer: '浙0106-007', roles: ['control'] }, { issuer: ISSUER, audience: AUDIENCE });
    expect(await refusalOf(verify(`Bearer ${devToken}`))).toEqual(
      refused('DEVELOPMENT_KEY', 'The token is signed with the development key, which this gateway refuses in production; ask the court\'s token issuer for a real token.'),
    );
  });

  it('refuses to start when the JWKS URL publishes the development key', async () => {
    const issuer = await serveJwks([real.publicJwk, { ...DEV_PUBLIC_JWK, kid: 'rotated-in' }]);
    try {
      await expect(startTokenVerifier(production({ kind: 'url', url: issuer.url }))).rejects.toThrow(
        `Refusing to start in production: the JWKS at ${issuer.url} contains the development key (kid ${DEV_KID}); configure the real issuer's keys.`,
      );
    } finally {
      await issuer.close();
    }
  });

  it('refuses a token verified by the development key material whatever its kid (keys fetched after start)', async () => {
    const issuer = await serveJwks([real.publicJwk, { ...DEV_PUBLIC_JWK, kid: 'rotated-in' }]);
    try {
      // createTokenVerifier fetches a JWKS URL lazily: the per-token check is what stands here.
      const verify = createTokenVerifier(production({ kind: 'url', url: issuer.url }));
      const token = await signToken({ iss: ISSUER, aud: AUDIENCE }, await devSigningKey(), { kid: 'rotated-in' });
      expect(await refusalOf(verify(`Bearer ${token}`))).toEqual(
        refused('DEVELOPMENT_KEY', 'The token is signed with the development key, which this gateway refuses in production; ask the court\'s token issuer for a real token.'),
      );
      await expect(verify(`Bearer ${await signToken({ iss: ISSUER, aud: AUDIENCE }, real)}`)).resolves.toMatchObject({ kind: 'court' });
    } finally {
      await issuer.close();
    }
  });
});
