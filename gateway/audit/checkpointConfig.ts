import { resolve } from 'node:path';
import { z } from 'zod';
import { type AuditCheckpointConfig, DEFAULT_CHECKPOINT_INTERVAL_MS } from '../../lib/audit/checkpoints/auditCheckpointer';
import type { CheckpointKeySource } from '../../lib/audit/checkpoints/checkpointKey';

/** An unset variable and an empty one mean the same. */
const setting = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/** The environment the audit checkpoints read, validated at boot with the rest of the gateway's. */
export const checkpointEnvSchema = z.object({
  /** Where checkpoint files are appended. Required in production; else beside the database (see below). */
  AUDIT_CHECKPOINT_DIR: setting(z.string()),
  /** A file holding the private Ed25519 JWK that signs checkpoints. */
  AUDIT_CHECKPOINT_KEY_FILE: setting(z.string()),
  /** The private Ed25519 JWK itself (e.g. from a secret store), instead of a file. */
  AUDIT_CHECKPOINT_KEY: setting(z.string()),
  /** @default 10000 */
  AUDIT_CHECKPOINT_INTERVAL_MS: setting(z.coerce.number().int().min(100).max(86_400_000)),
  /** An RFC 3161 time-stamping authority; none when unset. */
  AUDIT_TSA_URL: setting(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })),
  /** How long the TSA has to answer, ms. @default 5000 */
  AUDIT_TSA_TIMEOUT_MS: setting(z.coerce.number().int().min(1).max(60_000)),
});

export interface CheckpointDefaults {
  production: boolean;
  /** DATABASE_URL, if set. */
  databaseUrl: string | undefined;
  /** AUDIT_DB (the PGlite directory). */
  auditDb: string;
}

/**
 * The checkpoint settings from the environment. Production refuses to start without a key
 * (AUDIT_CHECKPOINT_KEY_FILE or AUDIT_CHECKPOINT_KEY) and a directory. Elsewhere both default
 * beside the database they anchor, so two data directories never mix their checkpoints:
 * `<AUDIT_DB>-checkpoints/` and a key generated once into `<AUDIT_DB>-checkpoint-key/`
 * (`.data/audit-checkpoints`, `.data/audit-checkpoint-key` for `npm start`), or
 * `.data/postgres-audit-…` with DATABASE_URL.
 */
export function loadAuditCheckpointConfig(env: NodeJS.ProcessEnv, defaults: CheckpointDefaults): AuditCheckpointConfig {
  const parsed = checkpointEnvSchema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid gateway configuration: ${issues}`);
  }
  const { AUDIT_CHECKPOINT_DIR, AUDIT_CHECKPOINT_KEY_FILE, AUDIT_CHECKPOINT_KEY, AUDIT_CHECKPOINT_INTERVAL_MS, AUDIT_TSA_URL, AUDIT_TSA_TIMEOUT_MS } = parsed.data;
  if (AUDIT_CHECKPOINT_KEY_FILE !== undefined && AUDIT_CHECKPOINT_KEY !== undefined) {
    throw new Error('Invalid gateway configuration: set AUDIT_CHECKPOINT_KEY_FILE or AUDIT_CHECKPOINT_KEY, not both');
  }
  if (defaults.production) {
    const missing = [
      ...(AUDIT_CHECKPOINT_KEY_FILE === undefined && AUDIT_CHECKPOINT_KEY === undefined ? ['AUDIT_CHECKPOINT_KEY_FILE (or AUDIT_CHECKPOINT_KEY)'] : []),
      ...(AUDIT_CHECKPOINT_DIR === undefined ? ['AUDIT_CHECKPOINT_DIR'] : []),
    ];
    if (missing.length > 0) {
      throw new Error(`Invalid gateway configuration: ${missing.join(' and ')} required in production: the audit chain is anchored by checkpoints signed with a key the database does not hold`);
    }
  }
  const base = defaults.databaseUrl === undefined ? resolve(defaults.auditDb) : resolve('.data/postgres-audit');
  const key: CheckpointKeySource =
    AUDIT_CHECKPOINT_KEY_FILE !== undefined
      ? { kind: 'file', path: resolve(AUDIT_CHECKPOINT_KEY_FILE) }
      : AUDIT_CHECKPOINT_KEY !== undefined
        ? { kind: 'jwk', json: AUDIT_CHECKPOINT_KEY }
        : { kind: 'development', dir: `${base}-checkpoint-key` };
  return {
    dir: AUDIT_CHECKPOINT_DIR !== undefined ? resolve(AUDIT_CHECKPOINT_DIR) : `${base}-checkpoints`,
    key,
    intervalMs: AUDIT_CHECKPOINT_INTERVAL_MS ?? DEFAULT_CHECKPOINT_INTERVAL_MS,
    ...(AUDIT_TSA_URL !== undefined ? { tsa: { url: AUDIT_TSA_URL, ...(AUDIT_TSA_TIMEOUT_MS !== undefined ? { timeoutMs: AUDIT_TSA_TIMEOUT_MS } : {}) } } : {}),
  };
}
