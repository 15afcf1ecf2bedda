import { Agent, fetch } from 'undici';
import { REQUEST_ID_HEADER } from '../../lib/http/requestIdHeader';
import { CASE_SEARCH, type CaseSearchAgency, caseSearchVariables } from '../../schemas/courtOperations';
import type { CaseSearchAnswer } from './searchSummary';

/** The header a court states its case in (gateway/caseBinding/caseHeader.ts), percent-encoded UTF-8. */
const CASE_HEADER = 'x-case-number';

export interface GatewaySearchOptions {
  /** The gateway's /graphql URL (behind the load balancer in a province). */
  gatewayUrl: string;
  /** How long one search may take, the agencies' answers included. @default 120000 */
  timeoutMs?: number;
  /** Connections kept open to the gateway. @default 8 */
  connections?: number;
}

export interface GatewaySearchResult {
  status: number;
  answer: CaseSearchAnswer;
  /** The gateway's audit record of the search (its x-request-id). */
  auditRequestId: string;
}

/** Thrown when the gateway gave no answer a search can be read from (down, overloaded, no audit id). */
export class GatewayUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GatewayUnavailable';
  }
}

/**
 * A sweep worker's one way into the graph: the documented CaseSearch of one case, sent to the
 * gateway as a court's software sends it (bearer token, stated case), over a keep-alive pool.
 */
export class GatewaySearch {
  private readonly agent: Agent;
  private readonly timeoutMs: number;

  constructor(private readonly options: GatewaySearchOptions) {
    this.agent = new Agent({ connections: options.connections ?? 8 });
    this.timeoutMs = options.timeoutMs ?? 120_000;
  }

  async search(token: string, caseNumber: string, agencies?: readonly CaseSearchAgency[]): Promise<GatewaySearchResult> {
    let response;
    try {
      response = await fetch(this.options.gatewayUrl, {
        method: 'POST',
        dispatcher: this.agent,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, [CASE_HEADER]: encodeURIComponent(caseNumber) },
        body: JSON.stringify({ query: CASE_SEARCH, variables: caseSearchVariables(caseNumber, agencies) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new GatewayUnavailable(`The gateway could not be reached for case ${caseNumber}: ${(error as Error).message}`);
    }
    const auditRequestId = response.headers.get(REQUEST_ID_HEADER);
    const text = await response.text();
    // A 5xx (the audit down, the case system unavailable) is the gateway's trouble: retried later.
    if (response.status >= 500 || auditRequestId === null) {
      throw new GatewayUnavailable(`The gateway answered HTTP ${response.status} for case ${caseNumber}${auditRequestId ? ` (request ${auditRequestId})` : ''}: ${text.slice(0, 300)}`);
    }
    let answer: CaseSearchAnswer;
    try {
      answer = JSON.parse(text) as CaseSearchAnswer;
    } catch {
      throw new GatewayUnavailable(`The gateway's answer for case ${caseNumber} is not JSON (HTTP ${response.status}, request ${auditRequestId}).`);
    }
    return { status: response.status, answer, auditRequestId };
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
