import { CompactSign, compactVerify, createLocalJWKSet, decodeProtectedHeader, errors, type JWK } from 'jose';
import { z } from 'zod';
import { CHECKPOINT_ALGORITHM, type CheckpointKey } from './checkpointKey';

/**
 * A checkpoint: what the head of one audit chain was at one moment, signed. `count` is the
 * number of records it covers; ids run 1, 2, 3, … without holes (verify checks that), so it
 * equals `headId`. Verifiable anywhere with the public key alone.
 */
export interface CheckpointClaims {
  v: 1;
  /** The audit table whose chain this is. */
  table: string;
  /** When the head was read (ISO 8601, UTC). */
  at: string;
  count: number;
  headId: number;
  headHash: string;
  /** The signing key's id (also the JWS header's `kid`). */
  keyId: string;
}

/** The JWS `typ` of a checkpoint, so no other token signed with the key passes for one. */
export const CHECKPOINT_TYPE = 'audit-checkpoint+jws';

const claimsSchema = z.strictObject({
  v: z.literal(1),
  table: z.string().min(1),
  at: z.iso.datetime(),
  count: z.number().int().positive(),
  headId: z.number().int().positive(),
  headHash: z.string().regex(/^[0-9a-f]{64}$/),
  keyId: z.string().min(1),
});

/** Signs a checkpoint of `head`: a compact JWS (EdDSA) over its claims as JSON. */
export async function signCheckpoint(
  head: { table: string; at: string; headId: number; headHash: string },
  key: CheckpointKey,
): Promise<string> {
  const claims: CheckpointClaims = { v: 1, table: head.table, at: head.at, count: head.headId, headId: head.headId, headHash: head.headHash, keyId: key.kid };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader({ alg: CHECKPOINT_ALGORITHM, kid: key.kid, typ: CHECKPOINT_TYPE })
    .sign(key.privateKey);
}

/**
 * - `MALFORMED`: not a checkpoint JWS, or its claims are not a checkpoint's.
 * - `UNKNOWN_KEY`: no public key with its `kid`.
 * - `BAD_SIGNATURE`: the signature does not verify with that key (forged or altered).
 */
export type CheckpointFault = 'MALFORMED' | 'UNKNOWN_KEY' | 'BAD_SIGNATURE';

export type OpenedCheckpoint = { ok: true; claims: CheckpointClaims } | { ok: false; fault: CheckpointFault; detail: string };

/** Public keys by `kid`, to check checkpoints with. */
export type CheckpointPublicKeys = ReturnType<typeof createLocalJWKSet>;

export function checkpointPublicKeys(jwks: { keys: JWK[] }): CheckpointPublicKeys {
  return createLocalJWKSet(jwks);
}

/** Checks a checkpoint's signature with the public keys and returns its claims. */
export async function openCheckpoint(jws: string, keys: CheckpointPublicKeys): Promise<OpenedCheckpoint> {
  let kid: string | undefined;
  try {
    const header = decodeProtectedHeader(jws);
    kid = header.kid;
    if (header.typ !== CHECKPOINT_TYPE || header.alg !== CHECKPOINT_ALGORITHM || !kid) {
      return { ok: false, fault: 'MALFORMED', detail: `not a checkpoint (typ ${String(header.typ)}, alg ${String(header.alg)})` };
    }
  } catch {
    return { ok: false, fault: 'MALFORMED', detail: 'not a JWS' };
  }
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(jws, keys, { algorithms: [CHECKPOINT_ALGORITHM] }));
  } catch (error) {
    if (error instanceof errors.JWKSNoMatchingKey) return { ok: false, fault: 'UNKNOWN_KEY', detail: `no public key with kid ${kid}` };
    if (error instanceof errors.JWSSignatureVerificationFailed) return { ok: false, fault: 'BAD_SIGNATURE', detail: `the signature does not verify with key ${kid}` };
    return { ok: false, fault: 'MALFORMED', detail: error instanceof Error ? error.message : String(error) };
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    return { ok: false, fault: 'MALFORMED', detail: 'its claims are not JSON' };
  }
  const parsed = claimsSchema.safeParse(json);
  if (!parsed.success) return { ok: false, fault: 'MALFORMED', detail: `its claims are not a checkpoint's: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}` };
  const claims = parsed.data;
  if (claims.keyId !== kid || claims.count !== claims.headId) return { ok: false, fault: 'MALFORMED', detail: 'its claims contradict themselves (keyId or count)' };
  return { ok: true, claims };
}
