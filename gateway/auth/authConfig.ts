import { z } from 'zod';
import { DEV_AUDIENCE, DEV_ISSUER, DEV_JWKS_PATH } from './devIssuer';

/** Where the token issuer publishes its public keys. */
export type JwksSource = { kind: 'file'; path: string } | { kind: 'url'; url: string };

export interface AuthConfig {
  /** @default the development JWKS file (DEV_JWKS_PATH) */
  jwks: JwksSource;
  /** Expected `iss`. @default DEV_ISSUER */
  issuer: string;
  /** Expected `aud`. @default DEV_AUDIENCE */
  audience: string;
  /** Refuse the development key; the settings above are then required. @default false */
  production: boolean;
  /** Allowed clock skew for `exp`/`nbf`, in seconds. @default 30 */
  clockToleranceSeconds: number;
}

export const AUTH_DEFAULTS = {
  jwks: { kind: 'file', path: DEV_JWKS_PATH },
  issuer: DEV_ISSUER,
  audience: DEV_AUDIENCE,
  production: false,
  clockToleranceSeconds: 30,
} as const satisfies AuthConfig;

/** An unset variable and an empty one mean the same: use the default. */
const setting = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The environment authentication reads, validated at boot. */
export const authEnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    /** A JSON Web Key Set file. */
    JWKS_PATH: setting(z.string()),
    /** A JSON Web Key Set URL (the issuer's jwks_uri). */
    JWKS_URL: setting(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })),
    TOKEN_ISSUER: setting(z.string()),
    TOKEN_AUDIENCE: setting(z.string()),
  })
  .superRefine((env, ctx) => {
    if (env.JWKS_PATH !== undefined && env.JWKS_URL !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['JWKS_URL'], message: 'set JWKS_PATH or JWKS_URL, not both' });
    }
    if (env.NODE_ENV !== 'production') return;
    if (env.JWKS_PATH === undefined && env.JWKS_URL === undefined) {
      ctx.addIssue({ code: 'custom', path: ['JWKS_PATH'], message: 'production needs the token issuer\'s keys: set JWKS_PATH or JWKS_URL' });
    }
    if (env.TOKEN_ISSUER === undefined) ctx.addIssue({ code: 'custom', path: ['TOKEN_ISSUER'], message: 'is required in production' });
    if (env.TOKEN_AUDIENCE === undefined) ctx.addIssue({ code: 'custom', path: ['TOKEN_AUDIENCE'], message: 'is required in production' });
    if (env.JWKS_URL !== undefined) {
      const url = new URL(env.JWKS_URL);
      if (url.protocol !== 'https:' && !LOOPBACK.has(url.hostname)) {
        ctx.addIssue({ code: 'custom', path: ['JWKS_URL'], message: 'must be https in production (plain http only on loopback)' });
      }
    }
  });

/**
 * Authentication settings from the environment: JWKS_PATH or JWKS_URL, TOKEN_ISSUER,
 * TOKEN_AUDIENCE; outside production each defaults to the development issuer.
 */
export function loadAuthConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const parsed = authEnvSchema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid authentication configuration: ${issues}`);
  }
  const { JWKS_PATH, JWKS_URL, TOKEN_ISSUER, TOKEN_AUDIENCE, NODE_ENV } = parsed.data;
  return {
    jwks: JWKS_URL !== undefined ? { kind: 'url', url: JWKS_URL } : JWKS_PATH !== undefined ? { kind: 'file', path: JWKS_PATH } : AUTH_DEFAULTS.jwks,
    issuer: TOKEN_ISSUER ?? AUTH_DEFAULTS.issuer,
    audience: TOKEN_AUDIENCE ?? AUTH_DEFAULTS.audience,
    production: NODE_ENV === 'production',
    clockToleranceSeconds: AUTH_DEFAULTS.clockToleranceSeconds,
  };
}
