import { randomUUID } from 'node:crypto';
import { GATEWAY_SIGNATURE_HEADER, type GatewayClaims, requestBodyHash, signForSubgraph } from '../../lib/gatewaySignature';
import { checkCreditCode, checkIdNumber } from '../../schemas/identifiers';
import { type GraphQLAnswer, postGraphQL } from './postGraphQL';

/** The secret subgraph tests start their subgraphs with (a stack makes its own: `stack.subgraphSecret`). */
export const TEST_SUBGRAPH_SECRET = 'test-only-subgraph-secret-not-for-any-real-use';

/** Whom a test's signed request speaks for unless it says otherwise. */
export const TEST_CALLER = { court: '浙0106', officer: '浙0106-test' } as const;

/**
 * The header the gateway adds to each subgraph request: a fresh signature (30 s) of a test
 * officer's request, with `claims` overriding any part of it.
 */
export async function signedHeaders(secret: string = TEST_SUBGRAPH_SECRET, claims: Partial<GatewayClaims> = {}): Promise<Record<string, string>> {
  const signed = await signForSubgraph(secret, { requestId: `test-${randomUUID()}`, ...TEST_CALLER, ...claims });
  return { [GATEWAY_SIGNATURE_HEADER]: signed };
}

/**
 * The claims the gateway adds for one call of a mutation: its kind, and the hash of the very
 * request (subgraphs run a mutation under nothing else). Spread them into `signedHeaders`' claims.
 */
export function mutationClaims(query: string, variables?: Record<string, unknown>): Pick<GatewayClaims, 'operation' | 'bodyHash'> {
  return { operation: 'mutation', bodyHash: requestBodyHash(query, variables) };
}

/** The case a test's signed request states unless it says otherwise. */
export const TEST_CASE_NUMBER = '(2025)浙0106执1001号';

/**
 * Every ID number and credit code in a request's query text and variables: the gateway
 * signs the debtors of the stated case, and it lets a request name only debtors at its
 * root, so a test standing in for it signs exactly the persons and companies it asks about.
 */
export function identifiersIn(...parts: unknown[]): string[] {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      for (const m of value.match(/[0-9A-HJ-NP-RTUWXY]{18}/gi) ?? []) {
        const v = m.toUpperCase();
        if (checkIdNumber(v).ok || checkCreditCode(v).ok) found.add(v);
      }
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') Object.values(value).forEach(visit);
  };
  parts.forEach(visit);
  return [...found];
}

/** Signed headers for the test case whose debtors are the persons and companies in `parts`. */
export function signedForDebtorsIn(...parts: unknown[]): Promise<Record<string, string>> {
  return signedHeaders(TEST_SUBGRAPH_SECRET, { caseNumber: TEST_CASE_NUMBER, debtors: identifiersIn(...parts) });
}

/**
 * `postGraphQL` straight to a subgraph, signed as the gateway would sign it for a case
 * whose debtors are the persons and companies the request names.
 */
export async function postSigned<TData = Record<string, any>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  secret: string = TEST_SUBGRAPH_SECRET,
): Promise<GraphQLAnswer<TData> & { status: number }> {
  const claims = { caseNumber: TEST_CASE_NUMBER, debtors: identifiersIn(query, variables) };
  return postGraphQL<TData>(url, query, variables, await signedHeaders(secret, claims));
}
