import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLocalJWKSet, decodeJwt, type JWK, jwtVerify } from 'jose';
import { callerFromClaims } from '../../../../gateway/auth/claims';
import { DEV_AUDIENCE, DEV_ISSUER, DEV_JWKS_PATH } from '../../../../gateway/auth/devIssuer';
import { SweepCredential } from '../../../../workers/sweep/sweepCredential';
import { REPO_ROOT } from '../../../support/repoRoot';

const privateJwk = JSON.parse(readFileSync(join(REPO_ROOT, 'gateway/auth/dev/dev-private.jwk.json'), 'utf8')) as JWK;
const jwks = createLocalJWKSet(JSON.parse(readFileSync(DEV_JWKS_PATH, 'utf8')));

describe('SweepCredential: the court token a sweep worker searches with', () => {
  it('signs a query-only token of the officer of the court, with the purpose, that the gateway reads as that officer', async () => {
    let now = 1_800_000_000;
    const credential = new SweepCredential({ privateJwk, issuer: DEV_ISSUER, audience: DEV_AUDIENCE, now: () => now });
    const token = await credential.token('浙0106', '浙0106-007', 'FOLLOW_UP');
    const { payload } = await jwtVerify(token, jwks, { issuer: DEV_ISSUER, audience: DEV_AUDIENCE, currentDate: new Date(now * 1000) });
    expect(payload).toMatchObject({ sub: '浙0106-007', court: '浙0106', roles: ['query'], purpose: 'FOLLOW_UP', iat: now, exp: now + 300 });
    expect(callerFromClaims(payload)).toMatchObject({ kind: 'court', court: '浙0106', officer: '浙0106-007', roles: ['query'], purpose: 'FOLLOW_UP' });
  });

  it('reuses a token while more than a minute is left of it, then signs a new one; one per court, officer and purpose', async () => {
    let now = 1_800_000_000;
    const credential = new SweepCredential({ privateJwk, issuer: DEV_ISSUER, audience: DEV_AUDIENCE, now: () => now });
    const first = await credential.token('浙0106', '浙0106-007', 'SWEEP');
    now += 239;
    expect(await credential.token('浙0106', '浙0106-007', 'SWEEP')).toBe(first);
    expect(await credential.token('浙0203', '浙0106-007', 'SWEEP')).not.toBe(first);
    expect(await credential.token('浙0106', '浙0106-007', 'FOLLOW_UP')).not.toBe(first);
    now += 2;
    const renewed = await credential.token('浙0106', '浙0106-007', 'SWEEP');
    expect(renewed).not.toBe(first);
    expect(decodeJwt(renewed).exp).toBe(now + 300);
  });

  it('refuses a key that is not a private JWK with kid and alg, and a lifetime outside 61 to 3600 s', () => {
    const { d: _d, ...publicJwk } = privateJwk;
    expect(() => new SweepCredential({ privateJwk: publicJwk, issuer: DEV_ISSUER, audience: DEV_AUDIENCE })).toThrow(/private JWK/);
    expect(() => new SweepCredential({ privateJwk: { ...privateJwk, kid: undefined }, issuer: DEV_ISSUER, audience: DEV_AUDIENCE })).toThrow(/kid/);
    expect(() => new SweepCredential({ privateJwk, issuer: DEV_ISSUER, audience: DEV_AUDIENCE, ttlSeconds: 60 })).toThrow(/61 to 3600/);
  });
});
