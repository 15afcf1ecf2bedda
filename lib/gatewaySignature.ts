import { createHash, createSecretKey, type KeyObject, randomUUID } from 'node:crypto';
import { type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { stringify } from 'safe-stable-stringify';
import { z } from 'zod';
import type { GatewaySignatureFailure } from './errors/catalog';

/**
 * The gateway's signature on each request it forwards to a subgraph: a short-lived HS256
 * JWT over a secret the gateway and its subgraphs share, carrying who asks and why (court,
 * officer or citizen, case, request id). A subgraph answers only requests bearing one.
 */
export const GATEWAY_SIGNATURE_HEADER = 'x-gateway-signature';
/**
 * `iss` and `aud` of a gateway signature, so no other token signed with the secret passes.
 * The issuer is the gateway's one name: it is also the `service` the gateway signs as when it
 * asks for itself (gateway/transport/subgraphClaims.ts).
 */
export const GATEWAY_SIGNATURE_ISSUER = 'court-asset-graph-gateway';
export const GATEWAY_SIGNATURE_AUDIENCE = 'court-asset-graph-subgraph';
/** The shortest secret accepted (256 bits of base64 or hex need at least 32 characters). */
export const MIN_SUBGRAPH_SECRET_LENGTH = 32;
/** @default 30 seconds: long enough for one subgraph call, too short to be worth replaying. */
export const DEFAULT_SIGNATURE_TTL_SECONDS = 30;
/** A subgraph refuses a signature issued longer ago than this, whatever its `exp`. */
export const MAX_SIGNATURE_TTL_SECONDS = 300;
/** Clock skew allowed between gateway and subgraph hosts. */
const CLOCK_TOLERANCE_SECONDS = 5;

export const gatewayClaimsSchema = z.object({
  requestId: z.string().min(1).max(200),
  court: z.string().min(1).optional(),
  officer: z.string().min(1).optional(),
  citizen: z.string().min(1).optional(),
  caseNumber: z.string().min(1).optional(),
  /** ID numbers and credit codes the operation reaches at its root. */
  subjects: z.array(z.string()).optional(),
  /** ID numbers and credit codes of the case's debtors, as the gateway checked the case. */
  debtors: z.array(z.string()).optional(),
  /**
   * The case's outstanding amount as the gateway checked the case: integer fen as a decimal
   * string (never a float), the ceiling a subgraph holds a seizure in the case to.
   */
  caseOutstandingFen: z.string().regex(/^\d+$/).optional(),
  /** The gateway acting for itself (health checks, schema loading), with no caller. */
  service: z.string().min(1).optional(),
  /**
   * The kind of the incoming operation the gateway authorized. A subgraph runs a mutation
   * only under a signature for a mutation, so a signature taken off a read cannot be replayed
   * to change anything.
   */
  operation: z.enum(['query', 'mutation', 'subscription']).optional(),
  /**
   * For a mutation, the one subgraph request the signature is for (`requestBodyHash` of its
   * query and variables): each call of a mutation is signed on its own, and a subgraph runs
   * a mutation only under the signature of that very request.
   */
  bodyHash: z.string().regex(/^[\w-]{43}$/).optional(),
});

export type GatewayClaims = z.infer<typeof gatewayClaimsSchema>;

export type { GatewaySignatureFailure };

/** Why a subgraph refused a request's signature; `message` says it in a sentence. */
export class GatewaySignatureError extends Error {
  constructor(readonly reason: GatewaySignatureFailure, message: string) {
    super(message);
    this.name = 'GatewaySignatureError';
  }
}

/** Keys already made from a secret: jose would otherwise import the raw bytes on every sign and verify. */
const keys = new Map<string, KeyObject>();

function keyOf(secret: string): KeyObject {
  const known = keys.get(secret);
  if (known) return known;
  if (secret.length < MIN_SUBGRAPH_SECRET_LENGTH) {
    throw new Error(`The subgraph secret must be at least ${MIN_SUBGRAPH_SECRET_LENGTH} characters long.`);
  }
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  // A process knows one secret or two (a rotation); tests make more, so the map stays bounded.
  if (keys.size >= 16) keys.clear();
  keys.set(secret, key);
  return key;
}

/**
 * What a mutation's signature binds: SHA-256 (base64url) of the subgraph request's query text
 * and variables, the variables in a canonical JSON (keys sorted), so the gateway, which sends
 * them, and the subgraph, which has parsed them, reckon the same hash.
 */
export function requestBodyHash(query: string, variables: Readonly<Record<string, unknown>> | null | undefined): string {
  return createHash('sha256')
    .update(stringify([query, variables ?? {}]) ?? '')
    .digest('base64url');
}

/** Signs the claims of one subgraph request: a compact HS256 JWT valid for `ttlSeconds`. */
export async function signForSubgraph(secret: string, claims: GatewayClaims, ttlSeconds = DEFAULT_SIGNATURE_TTL_SECONDS): Promise<string> {
  if (!(Number.isInteger(ttlSeconds) && ttlSeconds > 0 && ttlSeconds <= MAX_SIGNATURE_TTL_SECONDS)) {
    throw new Error(`ttlSeconds must be a whole number of seconds from 1 to ${MAX_SIGNATURE_TTL_SECONDS}, got ${ttlSeconds}.`);
  }
  const checked = gatewayClaimsSchema.parse(claims);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(checked)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(GATEWAY_SIGNATURE_ISSUER)
    .setAudience(GATEWAY_SIGNATURE_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds)
    .setJti(randomUUID())
    .sign(keyOf(secret));
}

/**
 * The claims of a gateway signature, or a GatewaySignatureError saying why it is refused:
 * missing, not a JWT, not made with `secret`, expired (or issued too long ago), or claims
 * that do not fit.
 */
export async function verifyFromGateway(secret: string, token: string | undefined): Promise<GatewayClaims> {
  if (token === undefined || token === '') {
    throw new GatewaySignatureError('MISSING', `This subgraph answers only the gateway: the request carries no ${GATEWAY_SIGNATURE_HEADER} header.`);
  }
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keyOf(secret), {
      algorithms: ['HS256'],
      issuer: GATEWAY_SIGNATURE_ISSUER,
      audience: GATEWAY_SIGNATURE_AUDIENCE,
      requiredClaims: ['exp', 'iat'],
      maxTokenAge: MAX_SIGNATURE_TTL_SECONDS,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    }));
  } catch (error) {
    throw failureOf(error);
  }
  const claims = gatewayClaimsSchema.safeParse(payload);
  if (!claims.success) {
    const where = claims.error.issues.map((i) => i.path.join('.')).join(', ');
    throw new GatewaySignatureError('BAD_CLAIMS', `This subgraph answers only the gateway: the ${GATEWAY_SIGNATURE_HEADER} claims are not valid (${where}).`);
  }
  if (!claims.data.court && !claims.data.citizen && !claims.data.service) {
    throw new GatewaySignatureError('BAD_CLAIMS', `This subgraph answers only the gateway: the ${GATEWAY_SIGNATURE_HEADER} names no caller (court, citizen or service).`);
  }
  return claims.data;
}

function failureOf(error: unknown): GatewaySignatureError {
  if (error instanceof GatewaySignatureError) return error;
  const { code, claim } = error as { code?: unknown; claim?: unknown };
  const refused = (reason: GatewaySignatureFailure, why: string) =>
    new GatewaySignatureError(reason, `This subgraph answers only the gateway: the ${GATEWAY_SIGNATURE_HEADER} ${why}.`);
  switch (code) {
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return refused('MALFORMED', 'is not a well-formed token');
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return refused('BAD_SIGNATURE', 'was not made with the gateway\'s secret');
    case 'ERR_JWT_EXPIRED':
      // `exp` passed, or `iat` older than MAX_SIGNATURE_TTL_SECONDS: stale either way.
      return refused('EXPIRED', 'has expired');
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return refused('BAD_CLAIMS', `has an invalid "${String(claim)}" claim`);
    default:
      // A secret too short is a configuration error of this subgraph, not the caller's.
      throw error;
  }
}
