import { z } from 'zod';
import { decimalToFen } from '../../schemas/identifiers';
import type { CaseFacts } from '../context';

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
});

const CASE_FACTS = `query CaseFacts($caseNumber: CaseNumber!) {
  case(caseNumber: $caseNumber) {
    caseNumber status court { code } outstanding
    debtors { ... on Person { idNumber } ... on Company { creditCode } }
    applicants { ... on Person { idNumber } ... on Company { creditCode } }
  }
}`;

const partyKey = (p: { idNumber?: string; creditCode?: string }) => p.idNumber ?? p.creditCode ?? '';

/**
 * Where the gateway learns the facts a request's case binding rests on: it asks the court
 * subgraph (which asks the court case system), signed like every other subgraph call.
 */
export class CaseDirectory {
  constructor(
    private readonly courtSubgraphUrl: string,
    private readonly headers: (caseNumber: string) => Promise<Record<string, string>>,
    private readonly timeoutMs = 5000,
  ) {}

  async lookup(caseNumber: string): Promise<CaseFacts | null> {
    const response = await fetch(this.courtSubgraphUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await this.headers(caseNumber)) },
      body: JSON.stringify({ query: CASE_FACTS, variables: { caseNumber } }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const parsed = answer.safeParse(await response.json());
    if (!response.ok || !parsed.success) {
      throw new Error(`the court subgraph could not tell the facts of case ${caseNumber} (HTTP ${response.status})`);
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
    };
  }
}
