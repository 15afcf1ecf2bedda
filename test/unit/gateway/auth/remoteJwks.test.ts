import { AUTH_DEFAULTS, type AuthConfig } from '../../../../gateway/auth/authConfig';
import { createTokenVerifier, startTokenVerifier } from '../../../../gateway/auth/createTokenVerifier';
import { type JwksServer, newSigningKey, refused, refusalOf, serveJwks, type SigningKey, signToken, writeJwksFile } from '../../../support/authHarness';

const fromUrl = (url: string): AuthConfig => ({ ...AUTH_DEFAULTS, jwks: { kind: 'url', url } });

let issuer: JwksServer;
let key: SigningKey;
beforeAll(async () => {
  key = await newSigningKey('issuer-key-1');
  issuer = await serveJwks([key.publicJwk]);
});
afterAll(() => issuer.close());

describe('JWKS from a file and from a URL', () => {
  it('verifies against a JWKS file of another issuer key', async () => {
    const verify = createTokenVerifier({ ...AUTH_DEFAULTS, jwks: { kind: 'file', path: writeJwksFile([key.publicJwk]) } });
    await expect(verify(`Bearer ${await signToken({}, key)}`)).resolves.toMatchObject({ kind: 'court', officer: '浙0106-007' });
  });

  it('refuses to start on a file that is not a JWKS', () => {
    const path = writeJwksFile([]);
    expect(() => createTokenVerifier({ ...AUTH_DEFAULTS, jwks: { kind: 'file', path } })).toThrow(
      new RegExp(`^The token issuer's JWKS file ${path} could not be read as a JSON Web Key Set: `),
    );
  });

  it('verifies against a JWKS served over HTTP, fetching it once at start for many tokens', async () => {
    issuer.fetches = 0;
    const verify = await startTokenVerifier(fromUrl(issuer.url));
    for (const officer of ['浙0106-001', '浙0106-002', '浙0106-003']) {
      await expect(verify(`Bearer ${await signToken({ sub: officer }, key)}`)).resolves.toMatchObject({ kind: 'court', officer });
    }
    expect(issuer.fetches).toBe(1);
  });

  it('refuses a token whose key the URL does not publish', async () => {
    const verify = await startTokenVerifier(fromUrl(issuer.url));
    const stranger = await newSigningKey('not-published');
    expect(await refusalOf(verify(`Bearer ${await signToken({}, stranger)}`))).toEqual(
      refused('BAD_SIGNATURE', 'The token is signed with a key the issuer does not publish.'),
    );
  });

  it('fails closed with 503 when the JWKS URL cannot be reached, and refuses to start on it', async () => {
    const gone = await serveJwks([]);
    await gone.close();
    const verify = createTokenVerifier(fromUrl(gone.url));
    expect(await refusalOf(verify(`Bearer ${await signToken({}, key)}`))).toEqual({
      message: 'The gateway cannot check tokens right now: the token issuer\'s keys could not be loaded. Try again shortly.',
      extensions: { code: 'AUTHENTICATION_UNAVAILABLE', http: { status: 503 } },
    });
    await expect(startTokenVerifier(fromUrl(gone.url))).rejects.toThrow(`The token issuer's JWKS at ${gone.url} could not be loaded: `);
  });
});
