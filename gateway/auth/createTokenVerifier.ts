import { readFileSync } from 'node:fs';
import type { GraphQLError } from 'graphql';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  exportJWK,
  type JSONWebKeySet,
  type JWTPayload,
  jwtVerify,
  type JWK,
  type JWTVerifyGetKey,
  type KeyLike,
} from 'jose';
import { z } from 'zod';
import type { Caller } from '../context';
import type { AuthConfig } from './authConfig';
import { callerFromClaims } from './claims';
import { DEV_KID, isDevelopmentKey } from './devIssuer';
import { unauthenticated } from '../../lib/errors/unauthenticated';
import { authenticationUnavailable } from './authenticationUnavailable';

/** Checks an `Authorization` header value and says who is calling, or throws a 401 GraphQLError. */
export type TokenVerifier = (authorization: string | undefined) => Promise<Caller>;

/** Asymmetric algorithms only: a JWKS never holds a shared secret a court could sign with. */
export const ACCEPTED_ALGORITHMS = ['ES256', 'ES384', 'EdDSA', 'RS256', 'PS256'];

/**
 * Verifies court and citizen tokens (JWTs) against the issuer's JWKS: signature, issuer,
 * audience, a required `exp` (with the configured clock tolerance), then the claims.
 * Call it from Apollo Server's context function; what it throws is a GraphQLError with
 * `extensions.code` UNAUTHENTICATED, a `reason` and HTTP status 401.
 *
 * A JWKS file is read and checked now: in production this throws (refuses to start) when
 * the file holds the development key. A JWKS URL is fetched on first use; use
 * `startTokenVerifier` at boot to fetch and check it before serving.
 */
export function createTokenVerifier(config: AuthConfig): TokenVerifier {
  return openVerifier(config).verify;
}

/**
 * `createTokenVerifier`, after loading the issuer's keys and refusing to start when they
 * cannot be loaded or (in production) hold the development key. Use this at boot.
 */
export async function startTokenVerifier(config: AuthConfig): Promise<TokenVerifier> {
  const verifier = openVerifier(config);
  await verifier.checkKeys();
  return verifier.verify;
}

/** Verified tokens kept at most; the oldest are forgotten first. */
const VERIFIED_TOKENS_KEPT = 10_000;

function openVerifier(config: AuthConfig): { verify: TokenVerifier; checkKeys(): Promise<void> } {
  const keys = openKeySet(config);
  const getKey = config.production ? refusingDevelopmentKey(keys.getKey) : keys.getKey;
  // An officer sends the same token with every request: checking its signature once (until
  // it expires) saves an asymmetric verification per request. Only tokens that passed are
  // kept; a key withdrawn from the JWKS stops new tokens, not ones already verified.
  const verified = new Map<string, { caller: Caller; expiresAtMs: number }>();
  const verify: TokenVerifier = async (authorization) => {
    const token = bearerToken(authorization);
    const known = verified.get(token);
    if (known && Date.now() < known.expiresAtMs) return known.caller;
    if (known) verified.delete(token);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, getKey, {
        issuer: config.issuer,
        audience: config.audience,
        algorithms: ACCEPTED_ALGORITHMS,
        clockTolerance: config.clockToleranceSeconds,
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      throw refusalFor(error);
    }
    const caller = callerFromClaims(payload);
    // Map order is insertion order: the first key is the oldest entry.
    while (verified.size >= VERIFIED_TOKENS_KEPT) verified.delete(verified.keys().next().value!);
    verified.set(token, { caller, expiresAtMs: (payload.exp! + config.clockToleranceSeconds) * 1000 });
    return caller;
  };
  return { verify, checkKeys: keys.checkKeys };
}

const jwksSchema = z.object({ keys: z.array(z.looseObject({ kty: z.string() })).min(1) });

function openKeySet(config: AuthConfig): { getKey: JWTVerifyGetKey; checkKeys(): Promise<void> } {
  if (config.jwks.kind === 'file') {
    const { path } = config.jwks;
    let jwks: JSONWebKeySet;
    try {
      jwks = jwksSchema.parse(JSON.parse(readFileSync(path, 'utf8'))) as JSONWebKeySet;
    } catch (error) {
      throw new Error(`The token issuer's JWKS file ${path} could not be read as a JSON Web Key Set: ${(error as Error).message}`);
    }
    refuseDevelopmentKeyIn(jwks, config, `JWKS file ${path}`);
    return { getKey: createLocalJWKSet(jwks), checkKeys: async () => {} };
  }

  const { url } = config.jwks;
  const remote = createRemoteJWKSet(new URL(url));
  return {
    getKey: remote,
    checkKeys: async () => {
      try {
        await remote.reload();
      } catch (error) {
        throw new Error(`The token issuer's JWKS at ${url} could not be loaded: ${(error as Error).message}`);
      }
      refuseDevelopmentKeyIn(remote.jwks() ?? { keys: [] }, config, `JWKS at ${url}`);
    },
  };
}

function refuseDevelopmentKeyIn(jwks: JSONWebKeySet, config: AuthConfig, where: string): void {
  if (config.production && jwks.keys.some(isDevelopmentKey)) {
    throw new Error(`Refusing to start in production: the ${where} contains the development key (kid ${DEV_KID}); configure the real issuer's keys.`);
  }
}

class DevelopmentKeyRefused extends Error {}

/** Production: no token signed with the development key, whatever kid it claims. */
function refusingDevelopmentKey(getKey: JWTVerifyGetKey): JWTVerifyGetKey {
  const verdicts = new WeakMap<object, boolean>();
  const isDevKeyObject = async (key: KeyLike | Uint8Array | JWK): Promise<boolean> => {
    if (key instanceof Uint8Array) return false;
    if ('kty' in key) return isDevelopmentKey(key);
    let verdict = verdicts.get(key);
    if (verdict === undefined) {
      const { kid: _ignored, ...material } = await exportJWK(key);
      verdict = isDevelopmentKey(material);
      verdicts.set(key, verdict);
    }
    return verdict;
  };
  return async (header, token) => {
    if (header.kid === DEV_KID) throw new DevelopmentKeyRefused();
    const key = await getKey(header, token);
    if (await isDevKeyObject(key)) throw new DevelopmentKeyRefused();
    return key;
  };
}

function bearerToken(authorization: string | undefined): string {
  if (authorization === undefined || authorization.trim() === '') {
    throw unauthenticated('NO_TOKEN', 'No token: send the officer\'s or citizen\'s token in the header "Authorization: Bearer <token>".');
  }
  const match = /^Bearer +(\S+) *$/i.exec(authorization);
  if (!match) throw unauthenticated('MALFORMED', 'The Authorization header must read "Bearer <token>".');
  return match[1]!;
}

/** jose's error codes, each turned into a sentence for the holder of the token. */
function refusalFor(error: unknown): GraphQLError {
  if (error instanceof DevelopmentKeyRefused) {
    return unauthenticated('DEVELOPMENT_KEY', 'The token is signed with the development key, which this gateway refuses in production; ask the court\'s token issuer for a real token.');
  }
  const { code, claim, reason, payload } = error as { code?: unknown; claim?: unknown; reason?: unknown; payload?: JWTPayload };
  switch (code) {
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return unauthenticated('MALFORMED', 'The token is not a well-formed signed JWT.');
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return unauthenticated('BAD_SIGNATURE', 'The token\'s signature does not verify against the issuer\'s keys.');
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return unauthenticated('BAD_SIGNATURE', 'The token is signed with a key the issuer does not publish.');
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return unauthenticated('BAD_SIGNATURE', `The token is not signed with an algorithm this gateway accepts (${ACCEPTED_ALGORITHMS.join(', ')}).`);
    case 'ERR_JWT_EXPIRED': {
      const exp = typeof payload?.exp === 'number' ? new Date(payload.exp * 1000).toISOString() : 'an earlier time';
      return unauthenticated('EXPIRED', `The token expired at ${exp}; ask its issuer for a new one.`);
    }
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (claim === 'iss') return unauthenticated('WRONG_ISSUER', 'The token was not issued by the issuer this gateway trusts ("iss" claim).');
      if (claim === 'aud') return unauthenticated('WRONG_AUDIENCE', 'The token is not meant for this gateway ("aud" claim).');
      if (claim === 'exp' && reason === 'missing') return unauthenticated('BAD_CLAIMS', 'The token has no expiry ("exp" claim); tokens that never expire are refused.');
      if (claim === 'nbf') return unauthenticated('BAD_CLAIMS', 'The token is not valid yet ("nbf" claim).');
      return unauthenticated('BAD_CLAIMS', `The token's "${String(claim)}" claim is not valid.`);
    default:
      // The keys could not be loaded (JWKS URL down, timed out, answered garbage): fail closed.
      return authenticationUnavailable(error);
  }
}
