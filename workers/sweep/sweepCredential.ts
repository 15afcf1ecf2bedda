import { randomUUID } from 'node:crypto';
import { importJWK, type JWK, SignJWT } from 'jose';
import type { SearchPurpose } from '../../lib/audit/searchPurpose';

/**
 * The court credential a sweep worker searches with: a short-lived officer token of the court
 * whose case it searches, in the name of the officer the search is for (who started the sweep,
 * or the case's officer for a follow-up), with the `query` role only and the search's
 * `purpose`. The gateway verifies it like any officer's token, so a sweep's search is
 * authorized and audited like the officer's own, its purpose in the record.
 *
 * The worker signs with a key of the courts' token issuer (its public half, by `kid`, in the
 * JWKS the gateway trusts), as a service the issuer has enrolled; outside production the
 * development key (gateway/auth/dev/), which production gateways refuse.
 */
export interface SweepCredentialOptions {
  /** The private JWK, with `kid` and `alg` (ES256, EdDSA, RS256, ...). */
  privateJwk: JWK;
  /** The `iss` the gateway expects (TOKEN_ISSUER). */
  issuer: string;
  /** The `aud` the gateway expects (TOKEN_AUDIENCE). */
  audience: string;
  /** How long a token lives: long enough for one search, short enough to be worth little if taken. @default 300 */
  ttlSeconds?: number;
  /** Seconds since the epoch. @default the wall clock */
  now?: () => number;
}

const DEFAULT_TTL_SECONDS = 300;
/** A token is signed afresh once less than this is left of it, so no search starts on one about to expire. */
const RENEW_BEFORE_SECONDS = 60;

export class SweepCredential {
  private readonly key: ReturnType<typeof importJWK>;
  private readonly ttlSeconds: number;
  private readonly now: () => number;
  private readonly issued = new Map<string, { token: string; expiresAt: number }>();

  constructor(private readonly options: SweepCredentialOptions) {
    const { privateJwk } = options;
    if (typeof privateJwk.kid !== 'string' || typeof privateJwk.alg !== 'string' || privateJwk.d === undefined) {
      throw new Error('The sweep signing key must be a private JWK with "kid" and "alg" (its public half in the JWKS the gateway trusts).');
    }
    this.ttlSeconds = options.ttlSeconds ?? DEFAULT_TTL_SECONDS;
    if (!(Number.isInteger(this.ttlSeconds) && this.ttlSeconds > RENEW_BEFORE_SECONDS && this.ttlSeconds <= 3600)) {
      throw new Error(`A sweep token lives ${RENEW_BEFORE_SECONDS + 1} to 3600 seconds, got ${String(options.ttlSeconds)}.`);
    }
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
    this.key = importJWK(privateJwk, privateJwk.alg);
  }

  /** A token of `officer` of `court` for searches with `purpose`, reused while it has a minute left. */
  async token(court: string, officer: string, purpose: SearchPurpose): Promise<string> {
    const id = JSON.stringify([court, officer, purpose]);
    const now = this.now();
    const held = this.issued.get(id);
    if (held && held.expiresAt - now >= RENEW_BEFORE_SECONDS) return held.token;
    const expiresAt = now + this.ttlSeconds;
    const token = await new SignJWT({ court, roles: ['query'], purpose })
      .setProtectedHeader({ alg: this.options.privateJwk.alg!, kid: this.options.privateJwk.kid!, typ: 'JWT' })
      .setSubject(officer)
      .setIssuer(this.options.issuer)
      .setAudience(this.options.audience)
      .setIssuedAt(now)
      .setExpirationTime(expiresAt)
      .setJti(randomUUID())
      .sign(await this.key);
    this.issued.set(id, { token, expiresAt });
    return token;
  }
}
