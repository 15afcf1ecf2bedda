import { CompactSign, SignJWT } from 'jose';
import { AUTH_DEFAULTS } from '../../../../gateway/auth/authConfig';
import { createTokenVerifier } from '../../../../gateway/auth/createTokenVerifier';
import { DEV_KID, issueDevToken, loadDevPrivateKey } from '../../../../gateway/auth/devIssuer';
import { idNumberCheckChar } from '../../../../schemas/identifiers';
import { newSigningKey, NOW, OFFICER, refused, refusalOf, signToken } from '../../../support/authHarness';

/** The development gateway: the committed development JWKS, issuer and audience. */
const verify = createTokenVerifier(AUTH_DEFAULTS);
const bearer = async (...args: Parameters<typeof signToken>) => `Bearer ${await signToken(...args)}`;

const ID_NUMBER = `11010519491231002${idNumberCheckChar('11010519491231002')}`;
/** An ID number whose check character is X, written with a lower-case x. */
const ID_NUMBER_X = (() => {
  for (let serial = 100; ; serial++) {
    const first17 = `33010619900101${serial}`;
    if (idNumberCheckChar(first17) === 'X') return `${first17}x`;
  }
})();

describe('token verifier: who is calling', () => {
  it('reads a court officer from a development token, roles deduplicated, jti as tokenId', async () => {
    const token = await issueDevToken({ kind: 'court', court: '浙0106', officer: '浙0106-007', roles: ['query', 'control', 'query'] });
    expect(await verify(`Bearer ${token}`)).toEqual({
      kind: 'court',
      court: '浙0106',
      officer: '浙0106-007',
      roles: ['query', 'control'],
      tokenId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  it.each(['SWEEP', 'FOLLOW_UP'] as const)("reads a search service's purpose %s from an officer's token", async (purpose) => {
    const token = await issueDevToken({ kind: 'court', court: '浙0106', officer: '浙0106-007', roles: ['query'], purpose });
    expect(await verify(`Bearer ${token}`)).toEqual({ kind: 'court', court: '浙0106', officer: '浙0106-007', roles: ['query'], purpose, tokenId: expect.any(String) });
  });

  it("keeps a supervisor's purpose: the role changes how the audit names the caller, not why it searched", async () => {
    expect(await verify(await bearer({ roles: ['query', 'supervise'], purpose: 'FOLLOW_UP' }))).toEqual({
      kind: 'court',
      court: '浙0106',
      officer: '浙0106-007',
      roles: ['query', 'supervise'],
      purpose: 'FOLLOW_UP',
    });
  });

  it('reads a citizen, the ID number normalised (x -> X)', async () => {
    const token = await issueDevToken({ kind: 'citizen', idNumber: ID_NUMBER_X });
    expect(await verify(`bearer ${token}`)).toEqual({ kind: 'citizen', idNumber: ID_NUMBER_X.toUpperCase(), tokenId: expect.any(String) });
  });

  it('gives no tokenId when the token has no jti', async () => {
    expect(await verify(await bearer())).toEqual({ kind: 'court', court: '浙0106', officer: '浙0106-007', roles: ['query'] });
  });

  it('allows a small clock skew: expired 10 s ago passes, 60 s ago does not', async () => {
    await expect(verify(await bearer({ exp: NOW() - 10 }))).resolves.toMatchObject({ kind: 'court' });
    await expect(verify(await bearer({ exp: NOW() - 60 }))).rejects.toMatchObject({ extensions: { reason: 'EXPIRED' } });
  });
});

describe('token verifier: every refusal, with its whole error', () => {
  it.each([undefined, '', '   '])('refuses no token (%p)', async (header) => {
    expect(await refusalOf(verify(header))).toEqual(
      refused('NO_TOKEN', 'No token: send the officer\'s or citizen\'s token in the header "Authorization: Bearer <token>".'),
    );
  });

  it.each(['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a b', 'Token abc.def.ghi'])('refuses an Authorization header that is not "Bearer <token>" (%p)', async (header) => {
    expect(await refusalOf(verify(header))).toEqual(refused('MALFORMED', 'The Authorization header must read "Bearer <token>".'));
  });

  it.each(['abc', 'not.a.jwt', 'a.b.c.d.e'])('refuses a token that is not a JWT (%p)', async (token) => {
    expect(await refusalOf(verify(`Bearer ${token}`))).toEqual(refused('MALFORMED', 'The token is not a well-formed signed JWT.'));
  });

  it('refuses a validly signed token whose payload is not a claims set', async () => {
    const signed = await new CompactSign(new TextEncoder().encode('not json'))
      .setProtectedHeader({ alg: 'ES256', kid: DEV_KID })
      .sign(await loadDevPrivateKey());
    expect(await refusalOf(verify(`Bearer ${signed}`))).toEqual(refused('MALFORMED', 'The token is not a well-formed signed JWT.'));
  });

  it('refuses a token signed by another key under the development kid', async () => {
    const impostor = await newSigningKey(DEV_KID);
    expect(await refusalOf(verify(await bearer({}, impostor)))).toEqual(
      refused('BAD_SIGNATURE', 'The token\'s signature does not verify against the issuer\'s keys.'),
    );
  });

  it('refuses a token whose claims were changed after signing', async () => {
    const [header, , signature] = (await signToken()).split('.');
    const forged = Buffer.from(JSON.stringify({ iss: AUTH_DEFAULTS.issuer, aud: AUTH_DEFAULTS.audience, exp: NOW() + 60, ...OFFICER, roles: ['control'] })).toString('base64url');
    expect(await refusalOf(verify(`Bearer ${header}.${forged}.${signature}`))).toEqual(
      refused('BAD_SIGNATURE', 'The token\'s signature does not verify against the issuer\'s keys.'),
    );
  });

  it('refuses a token signed with a key the issuer does not publish', async () => {
    const stranger = await newSigningKey('someone-else');
    expect(await refusalOf(verify(await bearer({}, stranger)))).toEqual(
      refused('BAD_SIGNATURE', 'The token is signed with a key the issuer does not publish.'),
    );
  });

  it('refuses a token made with a shared secret (HS256) or unsigned (alg none)', async () => {
    const hs256 = await new SignJWT({ ...OFFICER, iss: AUTH_DEFAULTS.issuer, aud: AUTH_DEFAULTS.audience, exp: NOW() + 60 })
      .setProtectedHeader({ alg: 'HS256', kid: DEV_KID })
      .sign(new TextEncoder().encode('a-secret-anyone-could-have-guessed!'));
    const none = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${hs256.split('.')[1]}.`;
    const expected = refused('BAD_SIGNATURE', 'The token is not signed with an algorithm this gateway accepts (ES256, ES384, EdDSA, RS256, PS256).');
    expect(await refusalOf(verify(`Bearer ${hs256}`))).toEqual(expected);
    expect(await refusalOf(verify(`Bearer ${none}`))).toEqual(expected);
  });

  it('refuses an expired token, saying when it expired', async () => {
    const exp = NOW() - 3600;
    expect(await refusalOf(verify(await bearer({ exp })))).toEqual(
      refused('EXPIRED', `The token expired at ${new Date(exp * 1000).toISOString()}; ask its issuer for a new one.`),
    );
  });

  it('refuses a token from another issuer', async () => {
    expect(await refusalOf(verify(await bearer({ iss: 'https://issuer.example' })))).toEqual(
      refused('WRONG_ISSUER', 'The token was not issued by the issuer this gateway trusts ("iss" claim).'),
    );
  });

  it('refuses a token meant for another audience', async () => {
    expect(await refusalOf(verify(await bearer({ aud: 'some-other-service' })))).toEqual(
      refused('WRONG_AUDIENCE', 'The token is not meant for this gateway ("aud" claim).'),
    );
  });

  it('refuses a token without an expiry', async () => {
    expect(await refusalOf(verify(await bearer({ exp: undefined })))).toEqual(
      refused('BAD_CLAIMS', 'The token has no expiry ("exp" claim); tokens that never expire are refused.'),
    );
  });

  it('refuses a token not valid yet', async () => {
    expect(await refusalOf(verify(await bearer({ nbf: NOW() + 3600 })))).toEqual(refused('BAD_CLAIMS', 'The token is not valid yet ("nbf" claim).'));
  });

  it.each([
    [{ court: undefined }, 'The court officer token\'s claims are not valid: "court" must be the court code, e.g. 浙0106.'],
    [{ court: 'Zhejiang' }, 'The court officer token\'s claims are not valid: "court" must be a court code such as 浙0106.'],
    [{ sub: undefined }, 'The court officer token\'s claims are not valid: "sub" must be the officer id.'],
    [{ sub: 'officer 7' }, 'The court officer token\'s claims are not valid: "sub" must be the officer id (1-64 characters, no spaces).'],
    [{ roles: [] }, 'The court officer token\'s claims are not valid: "roles" must list at least one of query, control, supervise.'],
    [{ roles: 'query' }, 'The court officer token\'s claims are not valid: "roles" must list the officer\'s roles (query, control, supervise).'],
    [{ roles: ['query', 'admin'] }, 'The court officer token\'s claims are not valid: "roles.1" must be one of query, control, supervise.'],
    [{ purpose: 'NIGHTLY' }, 'The court officer token\'s claims are not valid: "purpose" must be one of SWEEP, FOLLOW_UP, or absent for an officer\'s own request.'],
    [{ purpose: 'sweep' }, 'The court officer token\'s claims are not valid: "purpose" must be one of SWEEP, FOLLOW_UP, or absent for an officer\'s own request.'],
    [{ purpose: null }, 'The court officer token\'s claims are not valid: "purpose" must be one of SWEEP, FOLLOW_UP, or absent for an officer\'s own request.'],
  ])('refuses an officer token with bad claims %p', async (claims, message) => {
    expect(await refusalOf(verify(await bearer(claims)))).toEqual(refused('BAD_CLAIMS', message));
  });

  it.each([
    [{ sub: '110105194912310021', roles: ['citizen'], court: undefined }, 'The citizen token\'s claims are not valid: "sub" IdNumber check character (the 18th) does not match the first 17 digits.'],
    [{ sub: ID_NUMBER, roles: ['citizen'] }, 'The citizen token\'s claims are not valid: "court" must be absent in a citizen token.'],
    [{ sub: ID_NUMBER, roles: ['citizen', 'control'], court: undefined }, 'The citizen token\'s claims are not valid: "roles" must be exactly ["citizen"] in a citizen token.'],
    [{ sub: ID_NUMBER, roles: ['citizen'], court: undefined, purpose: 'SWEEP' }, 'The citizen token\'s claims are not valid: "purpose" must be absent in a citizen token.'],
  ])('refuses a citizen token with bad claims %p', async (claims, message) => {
    expect(await refusalOf(verify(await bearer(claims)))).toEqual(refused('BAD_CLAIMS', message));
  });
});

describe('token verifier: a token verified once', () => {
  afterEach(() => jest.useRealTimers());

  it('is accepted again without a new verification only until it expires (exp + clock tolerance)', async () => {
    jest.useFakeTimers({ now: new Date('2026-06-01T00:00:00Z'), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const fresh = createTokenVerifier(AUTH_DEFAULTS);
    const token = await bearer({ exp: NOW() + 60 });
    const first = await fresh(token);
    expect(await fresh(token)).toEqual(first);
    jest.setSystemTime(Date.now() + (60 + AUTH_DEFAULTS.clockToleranceSeconds - 1) * 1000);
    expect(await fresh(token)).toEqual(first);
    jest.setSystemTime(Date.now() + 2000);
    expect(await refusalOf(fresh(token))).toMatchObject({ extensions: { code: 'UNAUTHENTICATED', reason: 'EXPIRED' } });
  });

  it('is kept only when it passed: a forged token is refused every time', async () => {
    const fresh = createTokenVerifier(AUTH_DEFAULTS);
    const [h, p] = (await signToken()).split('.');
    const forged = `Bearer ${h}.${p}.${'A'.repeat(86)}`;
    for (let i = 0; i < 3; i++) expect(await refusalOf(fresh(forged))).toMatchObject({ extensions: { reason: 'BAD_SIGNATURE' } });
  });
});
