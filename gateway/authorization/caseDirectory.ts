import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { decimalToFen } from '../../schemas/identifiers';
import type { CaseFacts } from '../context';
import type { Fetcher } from '../transport/subgraphTransport';

const answer = z.object({
  data: z.object({
    case: z
      .object({
        caseNumber: z.string(),
        status: z.enum(['ACTIVE', 'SUSPENDED', 'CLOSED']),
        court: z.object({ code: z.string() }),
        /** Money: yuan as a decimal string, converted to fen exactly. */
        outstanding: z.string().regex(/^\d+(\.\d{1,2})?$/),
        debtors: z.array(z.object({ idNumber: z.string().optional(), creditCode: z.string().optional() })),
        applicants: z.array(z.object({ idNumber: z.string().optional(), creditCode: z.string().optional() })),
      })
      .nullable(),
  }),
  /** The court subgraph answers `case: null` plus an error when the court case system failed. */
  errors: z.array(z.object({ message: z.string() }).passthrough()).optional(),
});

/**
 * Everything the court subgraph tells of a case from its record alone (no further call to the
 * court case system), with `__typename` at every level: the binding needs only a few of these
 * fields, but a query plan's own ask for the case is answered from the whole record
 * (gateway/transport/caseRecordAnswers.ts).
 */
export const CASE_RECORD_QUERY = `query CaseRecord($caseNumber: CaseNumber!) {
  case(caseNumber: $caseNumber) {
    __typename caseNumber status cause amountDue outstanding filedOn closedOn officer
    court { __typename code name }
    debtors { __typename ... on Person { idNumber name } ... on Company { creditCode name } }
    applicants { __typename ... on Person { idNumber name } ... on Company { creditCode name } }
  }
}`;

const partyKey = (p: { idNumber?: string; creditCode?: string }) => p.idNumber ?? p.creditCode ?? '';

export interface CaseDirectoryOptions {
  /** @default 5000 */
  timeoutMs?: number;
  /** How the lookup reaches the court subgraph: the gateway's pooled transport. @default Node's fetch */
  fetcher?: Fetcher;
}

/**
 * Where the gateway learns the facts a request's case binding rests on: it asks the court
 * subgraph (which asks the court case system), signed like every other subgraph call.
 * Requests for the same case at the same moment share one lookup; nothing is kept after it,
 * so a case closed a moment ago is refused at once.
 */
export class CaseDirectory {
  private readonly inflight = new Map<string, Promise<CaseFacts | null>>();
  private readonly timeoutMs: number;
  private readonly fetcher: Fetcher;

  constructor(
    private readonly courtSubgraphUrl: string,
    /** Signed headers for a lookup made for request `requestId`. */
    private readonly headers: (caseNumber: string, requestId: string) => Promise<Record<string, string>>,
    options: CaseDirectoryOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.fetcher = options.fetcher ?? (fetch as unknown as Fetcher);
  }

  /**
   * The facts of a case, asked under the id of the request they are for (`requestId`), so the
   * court subgraph can answer that request's own later ask for the case without asking again.
   */
  lookup(caseNumber: string, requestId: string = randomUUID()): Promise<CaseFacts | null> {
    const pending = this.inflight.get(caseNumber);
    if (pending) return pending;
    const lookup = this.ask(caseNumber, requestId).finally(() => this.inflight.delete(caseNumber));
    this.inflight.set(caseNumber, lookup);
    return lookup;
  }

  private async ask(caseNumber: string, requestId: string): Promise<CaseFacts | null> {
    const response = await this.fetcher(this.courtSubgraphUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await this.headers(caseNumber, requestId)) },
      body: JSON.stringify({ query: CASE_RECORD_QUERY, variables: { caseNumber } }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const body: unknown = await response.json();
    const parsed = answer.safeParse(body);
    if (!response.ok || !parsed.success) {
      throw new Error(`the court subgraph could not tell the facts of case ${caseNumber} (HTTP ${response.status})`);
    }
    // A null case with errors is the case system failing, not a case that does not exist.
    if (parsed.data.errors?.length) {
      throw new Error(`the court case system could not tell the facts of case ${caseNumber}: ${parsed.data.errors[0]!.message}`);
    }
    const c = parsed.data.data.case;
    if (!c) return null;
    return {
      caseNumber: c.caseNumber,
      courtCode: c.court.code,
      status: c.status,
      debtors: c.debtors.map(partyKey),
      applicants: c.applicants.map(partyKey),
      outstandingFen: decimalToFen(c.outstanding, 100),
      // As the court subgraph gave it (the parsed facts above keep only what they need).
      record: (body as { data: { case: object } }).data.case,
    };
  }
}
