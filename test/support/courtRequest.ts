import { issueDevToken } from '../../gateway/auth/devIssuer';
import type { CourtRole } from '../../gateway/context';
import { CASE_HEADER } from '../../gateway/caseBinding/caseHeader';
import type { Population } from '../../mocks/population';
import { type GraphQLAnswer, postGraphQL } from './postGraphQL';

export interface OfficerOptions {
  /** @default the case's own court */
  court?: string;
  /** @default the case's own officer */
  officer?: string;
  /** @default ['query'] */
  roles?: CourtRole[];
  /** @default true: state the case in the x-case-number header */
  stateCase?: boolean;
}

/** The headers a court's software sends: a development token of the case's officer and the case. */
export async function officerHeaders(population: Population, caseNumber: string, options: OfficerOptions = {}): Promise<Record<string, string>> {
  const kase = population.cases.find((c) => c.caseNumber === caseNumber);
  const court = options.court ?? kase?.courtCode ?? '浙0106';
  const token = await issueDevToken({ kind: 'court', court, officer: options.officer ?? kase?.officer ?? `${court}-001`, roles: options.roles ?? ['query'] });
  return {
    authorization: `Bearer ${token}`,
    ...(options.stateCase === false ? {} : { [CASE_HEADER]: encodeURIComponent(caseNumber) }),
  };
}

/** POSTs an operation to the gateway as the officer of `caseNumber`, stating that case. */
export async function postInCase<TData = Record<string, any>>(
  gatewayUrl: string,
  population: Population,
  caseNumber: string,
  query: string,
  variables?: Record<string, unknown>,
  options: OfficerOptions = {},
): Promise<GraphQLAnswer<TData> & { status: number }> {
  return postGraphQL<TData>(gatewayUrl, query, variables, await officerHeaders(population, caseNumber, options));
}
