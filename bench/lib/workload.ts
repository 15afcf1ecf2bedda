import { createHmac, randomUUID } from 'node:crypto';
import { issueDevToken } from '../../gateway/auth/devIssuer';
import { CASE_HEADER } from '../../gateway/caseBinding/caseHeader';
import {
  DEFAULT_SIGNATURE_TTL_SECONDS,
  GATEWAY_SIGNATURE_AUDIENCE,
  GATEWAY_SIGNATURE_HEADER,
  GATEWAY_SIGNATURE_ISSUER,
  type GatewayClaims,
} from '../../lib/gatewaySignature';
import { caseVariables, DOSSIER } from '../../schemas/courtOperations';
import type { BenchCase } from '../processes/backend';

// The bench sends the documented operations (schemas/courtOperations.ts) as courts send them:
// the Dossier by default, the Sweep in the bulk phase (run.ts), with the plans the gateway warmed.
export { PERSONS_SWEEP as SWEEP } from '../../schemas/courtOperations';

export interface HttpRequest {
  headers: Record<string, string>;
  body: string;
}

/**
 * The signature this project's gateway would put on a subgraph request for this case, made
 * here for the peer gateways, which cannot sign (bench/README.md). HS256 with node:crypto,
 * synchronously, so autocannon can make a fresh one for every request.
 */
export function signLikeTheGateway(secret: string, claims: GatewayClaims, ttlSeconds = DEFAULT_SIGNATURE_TTL_SECONDS): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({
    ...claims,
    iss: GATEWAY_SIGNATURE_ISSUER,
    aud: GATEWAY_SIGNATURE_AUDIENCE,
    iat: now,
    exp: now + ttlSeconds,
    jti: randomUUID(),
  })}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/**
 * Realistic traffic: each request a different case (in-flight deduplication would make
 * identical requests look cheap), in a fixed shuffled order shared by all gateways, so every
 * gateway gets the same mix.
 */
export class Workload {
  private cursor = 0;
  private readonly order: BenchCase[];
  private readonly tokens = new Map<string, string>();

  constructor(
    cases: readonly BenchCase[],
    private readonly secret: string,
    seed = 7,
  ) {
    this.order = shuffled(cases, seed);
  }

  /** Development tokens for every officer of the cases, made once (ES256 signing is not what is measured). */
  async issueTokens(extra: readonly BenchCase[] = []): Promise<void> {
    for (const c of [...this.order, ...extra]) {
      const key = `${c.courtCode}|${c.officer}`;
      if (!this.tokens.has(key)) this.tokens.set(key, await issueDevToken({ kind: 'court', court: c.courtCode, officer: c.officer, roles: ['query'] }));
    }
  }

  nextCase(): BenchCase {
    const c = this.order[this.cursor % this.order.length]!;
    this.cursor += 1;
    return c;
  }

  /** What a court's software sends this project's gateway: its token and the case. */
  secured(c: BenchCase, query = DOSSIER, variables: Record<string, unknown> = caseVariables(c.caseNumber)): HttpRequest {
    return {
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${this.tokens.get(`${c.courtCode}|${c.officer}`)}`,
        [CASE_HEADER]: encodeURIComponent(c.caseNumber),
      },
      body: JSON.stringify({ query, variables }),
    };
  }

  /** The same operation for a peer gateway, carrying the signature ours would have made. */
  peer(c: BenchCase, query = DOSSIER, variables: Record<string, unknown> = caseVariables(c.caseNumber), subjects: string[] = []): HttpRequest {
    const signature = signLikeTheGateway(this.secret, {
      requestId: randomUUID(),
      court: c.courtCode,
      officer: c.officer,
      caseNumber: c.caseNumber,
      debtors: c.debtors,
      caseOutstandingFen: c.outstandingFen,
      subjects,
      operation: 'query',
    });
    return {
      headers: { 'content-type': 'application/json', [GATEWAY_SIGNATURE_HEADER]: signature },
      body: JSON.stringify({ query, variables }),
    };
  }
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0 || 1;
  const next = () => {
    // xorshift32: the same order on every run with the same seed.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
