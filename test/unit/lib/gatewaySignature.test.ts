import { SignJWT } from 'jose';
import {
  GATEWAY_SIGNATURE_AUDIENCE,
  GATEWAY_SIGNATURE_ISSUER,
  GatewaySignatureError,
  signForSubgraph,
  verifyFromGateway,
} from '../../../lib/gatewaySignature';

const SECRET = 'unit-test-secret-with-more-than-32-chars';
const CLAIMS = { requestId: 'r-1', court: '浙0106', officer: '浙0106-007', caseNumber: '(2024)浙0106执1234号', subjects: ['330106197504189356'] };
const now = () => Math.floor(Date.now() / 1000);
const decode = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

/** The whole refusal `verifyFromGateway` threw. */
async function failureOf(attempt: Promise<unknown>): Promise<{ reason: string; message: string }> {
  try {
    await attempt;
  } catch (error) {
    expect(error).toBeInstanceOf(GatewaySignatureError);
    const { reason, message } = error as GatewaySignatureError;
    return { reason, message };
  }
  throw new Error('expected the signature to be refused');
}
const failure = (reason: string, why: string) => ({ reason, message: `This subgraph answers only the gateway: ${why}.` });

async function handMade(payload: Record<string, unknown>, { iat = now(), exp = now() + 30, iss = GATEWAY_SIGNATURE_ISSUER, aud = GATEWAY_SIGNATURE_AUDIENCE, alg = 'HS256' } = {}) {
  return new SignJWT(payload).setProtectedHeader({ alg }).setIssuer(iss).setAudience(aud).setIssuedAt(iat).setExpirationTime(exp).sign(new TextEncoder().encode(SECRET));
}

describe('gateway signature', () => {
  it('round-trips the claims, valid for 30 seconds by default', async () => {
    const token = await signForSubgraph(SECRET, CLAIMS);
    expect(await verifyFromGateway(SECRET, token)).toEqual(CLAIMS);
    const payload = decode(token);
    expect(payload).toMatchObject({ iss: GATEWAY_SIGNATURE_ISSUER, aud: GATEWAY_SIGNATURE_AUDIENCE, jti: expect.any(String) });
    expect(Number(payload.exp) - Number(payload.iat)).toBe(30);
    const short = decode(await signForSubgraph(SECRET, CLAIMS, 5));
    expect(Number(short.exp) - Number(short.iat)).toBe(5);
  });

  it('accepts the gateway\'s service identity and a citizen', async () => {
    const service = { requestId: 'r-2', service: 'court-asset-graph-gateway' };
    expect(await verifyFromGateway(SECRET, await signForSubgraph(SECRET, service))).toEqual(service);
    const citizen = { requestId: 'r-3', citizen: '330106197504189356' };
    expect(await verifyFromGateway(SECRET, await signForSubgraph(SECRET, citizen))).toEqual(citizen);
  });

  it('refuses a missing signature', async () => {
    expect(await failureOf(verifyFromGateway(SECRET, undefined))).toEqual(failure('MISSING', 'the request carries no x-gateway-signature header'));
    expect(await failureOf(verifyFromGateway(SECRET, ''))).toEqual(failure('MISSING', 'the request carries no x-gateway-signature header'));
  });

  it('refuses what is not a token', async () => {
    expect(await failureOf(verifyFromGateway(SECRET, 'a.b'))).toEqual(failure('MALFORMED', 'the x-gateway-signature is not a well-formed token'));
  });

  it('refuses another secret, a changed payload and another algorithm', async () => {
    const other = await signForSubgraph('another-secret-with-more-than-32-chars', CLAIMS);
    expect(await failureOf(verifyFromGateway(SECRET, other))).toEqual(failure('BAD_SIGNATURE', 'the x-gateway-signature was not made with the gateway\'s secret'));
    const [h, , sig] = (await signForSubgraph(SECRET, CLAIMS)).split('.');
    const changed = Buffer.from(JSON.stringify({ ...CLAIMS, court: '京0101' })).toString('base64url');
    expect(await failureOf(verifyFromGateway(SECRET, `${h}.${changed}.${sig}`))).toEqual(failure('BAD_SIGNATURE', 'the x-gateway-signature was not made with the gateway\'s secret'));
    const hs512 = await handMade(CLAIMS, { alg: 'HS512' });
    expect(await failureOf(verifyFromGateway(SECRET, hs512))).toEqual(failure('BAD_SIGNATURE', 'the x-gateway-signature was not made with the gateway\'s secret'));
  });

  it('refuses a stale signature: expired, or issued more than five minutes ago', async () => {
    expect(await failureOf(verifyFromGateway(SECRET, await handMade(CLAIMS, { iat: now() - 60, exp: now() - 30 })))).toEqual(
      failure('EXPIRED', 'the x-gateway-signature has expired'),
    );
    expect(await failureOf(verifyFromGateway(SECRET, await handMade(CLAIMS, { iat: now() - 600, exp: now() + 600 })))).toEqual(
      failure('EXPIRED', 'the x-gateway-signature has expired'),
    );
  });

  it('refuses a token with the secret but another issuer or audience', async () => {
    expect(await failureOf(verifyFromGateway(SECRET, await handMade(CLAIMS, { iss: 'someone' })))).toEqual(failure('BAD_CLAIMS', 'the x-gateway-signature has an invalid "iss" claim'));
    expect(await failureOf(verifyFromGateway(SECRET, await handMade(CLAIMS, { aud: 'court-asset-graph-gateway' })))).toEqual(failure('BAD_CLAIMS', 'the x-gateway-signature has an invalid "aud" claim'));
  });

  it('refuses claims that do not fit, or that name no caller', async () => {
    expect(await failureOf(verifyFromGateway(SECRET, await handMade({ court: '浙0106', officer: 'x' })))).toEqual(
      failure('BAD_CLAIMS', 'the x-gateway-signature claims are not valid (requestId)'),
    );
    expect(await failureOf(verifyFromGateway(SECRET, await handMade({ requestId: 'r', caseNumber: '(2024)浙0106执1号' })))).toEqual(
      failure('BAD_CLAIMS', 'the x-gateway-signature names no caller (court, citizen or service)'),
    );
  });

  it('refuses a secret shorter than 32 characters and a lifetime out of range', async () => {
    await expect(signForSubgraph('short', CLAIMS)).rejects.toThrow('The subgraph secret must be at least 32 characters long.');
    await expect(verifyFromGateway('short', 'a.b.c')).rejects.toThrow('The subgraph secret must be at least 32 characters long.');
    await expect(signForSubgraph(SECRET, CLAIMS, 0)).rejects.toThrow('ttlSeconds must be a whole number of seconds from 1 to 300, got 0.');
    await expect(signForSubgraph(SECRET, CLAIMS, 301)).rejects.toThrow('ttlSeconds must be a whole number of seconds from 1 to 300, got 301.');
  });
});
