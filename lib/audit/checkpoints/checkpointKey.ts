/**
 * The key that signs audit checkpoints: Ed25519, held by the gateway and never by the
 * database, so whoever can rewrite the audit table cannot sign a checkpoint to match.
 *
 * Make a production key pair (the private JWK stays with the gateways, the public JWKS goes
 * to whoever runs `npm run audit:verify`):
 *
 *   npx tsx lib/audit/checkpoints/checkpointKey.ts /etc/court-asset-graph/checkpoint-key
 */
import { constants } from 'node:fs';
import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK, type KeyLike } from 'jose';
import { z } from 'zod';

export const CHECKPOINT_ALGORITHM = 'EdDSA';

/**
 * Where the signing key comes from:
 * - `file`: a private JWK file (AUDIT_CHECKPOINT_KEY_FILE);
 * - `jwk`: the private JWK's JSON text itself (AUDIT_CHECKPOINT_KEY, e.g. from a secret store);
 * - `development`: a key pair generated once into `dir` (`private.jwk.json`, `public.jwks.json`)
 *   and reused after, so an `npm start` data directory keeps one key. Never in production.
 */
export type CheckpointKeySource = { kind: 'file'; path: string } | { kind: 'jwk'; json: string } | { kind: 'development'; dir: string };

export interface CheckpointKey {
  /** The JWK's `kid`, or its RFC 7638 thumbprint when it has none. */
  kid: string;
  privateKey: KeyLike | Uint8Array;
  /** The public half, as verify needs it (`kid`, `alg`, `use` set). */
  publicJwk: JWK;
}

export const DEVELOPMENT_PRIVATE_KEY_FILE = 'private.jwk.json';
export const DEVELOPMENT_PUBLIC_KEYS_FILE = 'public.jwks.json';

const privateJwkSchema = z.object({
  kty: z.literal('OKP', { error: 'must be an OKP key (Ed25519)' }),
  crv: z.literal('Ed25519', { error: 'must be an Ed25519 key' }),
  x: z.string().min(1),
  d: z.string({ error: 'must be the private key (with "d")' }).min(1, { error: 'must be the private key (with "d")' }),
  kid: z.string().min(1).optional(),
});

/** Loads the signing key; the error never quotes the key material. */
export async function loadCheckpointKey(source: CheckpointKeySource): Promise<CheckpointKey> {
  if (source.kind === 'development') return developmentKey(source.dir);
  const text = source.kind === 'file' ? await readFile(source.path, 'utf8') : source.json;
  const where = source.kind === 'file' ? source.path : 'AUDIT_CHECKPOINT_KEY';
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`The audit checkpoint key (${where}) is not JSON: give a private Ed25519 JWK.`);
  }
  return fromPrivateJwk(json, where);
}

async function fromPrivateJwk(json: unknown, where: string): Promise<CheckpointKey> {
  const parsed = privateJwkSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`The audit checkpoint key (${where}) is not a private Ed25519 JWK: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'key'} ${i.message}`).join('; ')}`);
  }
  const { kty, crv, x, d } = parsed.data;
  const kid = parsed.data.kid ?? (await calculateJwkThumbprint({ kty, crv, x }));
  const privateKey = await importJWK({ kty, crv, x, d }, CHECKPOINT_ALGORITHM);
  return { kid, privateKey, publicJwk: { kty, crv, x, kid, alg: CHECKPOINT_ALGORITHM, use: 'sig' } };
}

/** A new key pair: the private JWK and the public JWKS, as files would hold them. */
export async function generateCheckpointKeyPair(): Promise<{ privateJwk: JWK; publicJwks: { keys: JWK[] } }> {
  const { privateKey } = await generateKeyPair(CHECKPOINT_ALGORITHM, { crv: 'Ed25519', extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x });
  const privateJwk = { ...jwk, kid, alg: CHECKPOINT_ALGORITHM, use: 'sig' };
  const { d: _d, ...publicJwk } = privateJwk;
  return { privateJwk, publicJwks: { keys: [publicJwk] } };
}

/**
 * Writes a new key pair into `dir` (created if missing) unless one is there: the private JWK
 * readable by its owner only. Returns the paths. Two processes racing both end with the one
 * key that won (the private file is created exclusively).
 */
export async function writeCheckpointKeyPair(dir: string): Promise<{ privateKeyFile: string; publicKeysFile: string }> {
  await mkdir(dir, { recursive: true });
  const privateKeyFile = join(dir, DEVELOPMENT_PRIVATE_KEY_FILE);
  const publicKeysFile = join(dir, DEVELOPMENT_PUBLIC_KEYS_FILE);
  const { privateJwk } = await generateCheckpointKeyPair();
  await createExclusive(privateKeyFile, JSON.stringify(privateJwk), 0o600);
  // From the private key that is there (ours or the winner's), also after a crash in between.
  const key = await loadCheckpointKey({ kind: 'file', path: privateKeyFile });
  await createExclusive(publicKeysFile, `${JSON.stringify({ keys: [key.publicJwk] }, null, 2)}\n`, 0o644);
  return { privateKeyFile, publicKeysFile };
}

async function developmentKey(dir: string): Promise<CheckpointKey> {
  const { privateKeyFile } = await writeCheckpointKeyPair(dir);
  return loadCheckpointKey({ kind: 'file', path: privateKeyFile });
}

/** Creates a file that must not exist yet, durably; false if it existed. */
async function createExclusive(path: string, text: string, mode: number): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return true;
}

if (require.main === module) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('Usage: npx tsx lib/audit/checkpoints/checkpointKey.ts <directory>');
    process.exit(2);
  }
  void writeCheckpointKeyPair(dir).then(({ privateKeyFile, publicKeysFile }) => {
    console.log(`private key (AUDIT_CHECKPOINT_KEY_FILE, gateways only): ${privateKeyFile}\npublic keys (AUDIT_CHECKPOINT_PUBLIC_KEYS, for audit:verify): ${publicKeysFile}`);
  });
}
