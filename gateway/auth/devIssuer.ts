/**
 * The LOCAL DEVELOPMENT token issuer: an ES256 key pair committed under `gateway/auth/dev/`
 * so `npm start`, `npm run token` and the tests mint tokens without any setup. The private
 * key is public knowledge; production refuses it (see `createTokenVerifier`).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importJWK, type JWK, type KeyLike, SignJWT } from 'jose';
import type { SearchPurpose } from '../../lib/audit/searchPurpose';
import type { CourtRole } from '../context';
import { callerFromClaims } from './claims';

export const DEV_KID = 'court-asset-graph-dev';
export const DEV_ALGORITHM = 'ES256';
/** The development issuer's `iss`; the gateway's default TOKEN_ISSUER outside production. */
export const DEV_ISSUER = 'urn:court-asset-graph:dev-issuer';
/** The gateway's default TOKEN_AUDIENCE outside production. */
export const DEV_AUDIENCE = 'urn:court-asset-graph:gateway';
/** The development public JWKS; the gateway's default JWKS_PATH outside production. */
export const DEV_JWKS_PATH = join(__dirname, 'dev', 'dev-jwks.json');
const DEV_PRIVATE_JWK_PATH = join(__dirname, 'dev', 'dev-private.jwk.json');

/** @default 8 hours, an officer's working day. */
export const DEV_TOKEN_TTL_SECONDS = 8 * 3600;

const DEV_PUBLIC_JWK = (JSON.parse(readFileSync(DEV_JWKS_PATH, 'utf8')) as { keys: JWK[] }).keys[0]!;

/** Whether a public key is the development key, by its kid or by its key material. */
export function isDevelopmentKey(jwk: JWK): boolean {
  if (jwk.kid === DEV_KID) return true;
  return jwk.kty === DEV_PUBLIC_JWK.kty && jwk.crv === DEV_PUBLIC_JWK.crv && jwk.x === DEV_PUBLIC_JWK.x && jwk.y === DEV_PUBLIC_JWK.y;
}

let privateKey: Promise<KeyLike | Uint8Array> | undefined;

/** The development private key (for the token tool and tests only). */
export function loadDevPrivateKey(): Promise<KeyLike | Uint8Array> {
  privateKey ??= importJWK(JSON.parse(readFileSync(DEV_PRIVATE_JWK_PATH, 'utf8')) as JWK, DEV_ALGORITHM);
  return privateKey;
}

export type DevTokenSubject =
  | { kind: 'court'; court: string; officer: string; roles: CourtRole[]; purpose?: SearchPurpose }
  | { kind: 'citizen'; idNumber: string };

export interface DevTokenOptions {
  /** @default DEV_TOKEN_TTL_SECONDS */
  ttlSeconds?: number;
  /** @default DEV_ISSUER */
  issuer?: string;
  /** @default DEV_AUDIENCE */
  audience?: string;
  /** Seconds since the epoch. @default now */
  issuedAt?: number;
}

/**
 * Signs a development token for a court officer (with `purpose`: a search service's) or a citizen. The claims are checked with
 * the gateway's own schemas first, so this never prints a token the gateway would refuse
 * for its claims (it throws the same UNAUTHENTICATED error instead).
 */
export async function issueDevToken(subject: DevTokenSubject, options: DevTokenOptions = {}): Promise<string> {
  const claims =
    subject.kind === 'court'
      ? { sub: subject.officer, court: subject.court, roles: subject.roles, ...(subject.purpose === undefined ? {} : { purpose: subject.purpose }) }
      : { sub: subject.idNumber, roles: ['citizen'] };
  const caller = callerFromClaims(claims);
  const sub = caller.kind === 'court' ? caller.officer : caller.idNumber;
  const issuedAt = options.issuedAt ?? Math.floor(Date.now() / 1000);
  return new SignJWT({ ...claims, sub })
    .setProtectedHeader({ alg: DEV_ALGORITHM, kid: DEV_KID, typ: 'JWT' })
    .setIssuer(options.issuer ?? DEV_ISSUER)
    .setAudience(options.audience ?? DEV_AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + (options.ttlSeconds ?? DEV_TOKEN_TTL_SECONDS))
    .setJti(randomUUID())
    .sign(await loadDevPrivateKey());
}
