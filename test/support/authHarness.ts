import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphQLError } from 'graphql';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, type KeyLike, SignJWT } from 'jose';
import { DEV_AUDIENCE, DEV_ISSUER, DEV_KID, loadDevPrivateKey } from '../../gateway/auth/devIssuer';
import type { UnauthenticatedReason } from '../../lib/errors/catalog';

export const NOW = () => Math.floor(Date.now() / 1000);

/** A court officer's claims as the development issuer writes them. */
export const OFFICER = { sub: '浙0106-007', court: '浙0106', roles: ['query'] };

export interface SigningKey {
  privateKey: KeyLike | Uint8Array;
  /** What the issuer publishes for it. */
  publicJwk: JWK;
  kid: string;
  alg: string;
}

/** A fresh ES256 key pair, as another issuer (or an attacker) would hold. */
export async function newSigningKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }, kid, alg: 'ES256' };
}

/** Signs; the development key's public half is the committed JWKS. */
export type Signer = Omit<SigningKey, 'publicJwk'>;

export async function devSigningKey(): Promise<Signer> {
  return { privateKey: await loadDevPrivateKey(), kid: DEV_KID, alg: 'ES256' };
}

/**
 * Signs any payload: by default the development issuer's officer token, valid for an hour.
 * `payload` overrides claims; a claim set to undefined is left out.
 */
export async function signToken(payload: JWTPayload = {}, key?: Signer, header: { kid?: string; alg?: string } = {}): Promise<string> {
  const signer = key ?? (await devSigningKey());
  const claims: JWTPayload = { iss: DEV_ISSUER, aud: DEV_AUDIENCE, iat: NOW(), exp: NOW() + 3600, ...OFFICER, ...payload };
  for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name];
  return new SignJWT(claims).setProtectedHeader({ alg: header.alg ?? signer.alg, kid: header.kid ?? signer.kid }).sign(signer.privateKey);
}

/** A JWKS file in a fresh temporary directory. */
export function writeJwksFile(keys: JWK[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'jwks-')), 'jwks.json');
  writeFileSync(path, JSON.stringify({ keys }));
  return path;
}

/** The whole error a refused call threw, as a client would see its parts. */
export async function refusalOf(attempt: Promise<unknown>): Promise<{ message: string; extensions: Record<string, unknown> }> {
  try {
    await attempt;
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    const { message, extensions } = error as GraphQLError;
    return { message, extensions };
  }
  throw new Error('expected the token to be refused, but it was accepted');
}

/** The error `createTokenVerifier` throws for a refused token: 401, UNAUTHENTICATED, the reason. */
export function refused(reason: UnauthenticatedReason, message: string) {
  return {
    message,
    extensions: {
      code: 'UNAUTHENTICATED',
      reason,
      http: { status: 401, headers: new Map([['www-authenticate', 'Bearer realm="court-asset-graph"']]) },
    },
  };
}

export interface JwksServer {
  url: string;
  /** How many times the key set was fetched. */
  fetches: number;
  /** What the server publishes next; change it to rotate keys. */
  keys: JWK[];
  close(): Promise<void>;
}

/** Publishes a JWKS over plain HTTP on 127.0.0.1, as an issuer's jwks_uri would. */
export async function serveJwks(keys: JWK[]): Promise<JwksServer> {
  const state: JwksServer = { url: '', fetches: 0, keys, close: async () => {} };
  const server = createServer((req, res) => {
    if (req.url !== '/.well-known/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    state.fetches++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: state.keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.url = `http://127.0.0.1:${port}/.well-known/jwks.json`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}
