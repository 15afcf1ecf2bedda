import { randomUUID } from 'node:crypto';
import { GATEWAY_SIGNATURE_HEADER, GATEWAY_SIGNATURE_ISSUER, signForSubgraph } from '../../lib/gatewaySignature';
import { decimalToFen } from '../../schemas/identifiers';
import type { CaseFacts } from '../context';
import type { Fetcher } from '../transport/subgraphTransport';
import { CASE_RECORD, type PartyKeys } from './caseRecord';

/** The subgraph that owns cases: the binding asks it, and only its fetches can be answered from the record. */
export const COURT_SUBGRAPH = 'court';

const partyKey = (p: PartyKeys) => p.idNumber ?? p.creditCode ?? '';

export interface CaseDirectoryOptions {
  /** @default 5000 */
  timeoutMs?: number;
  /** How the lookup reaches the court subgraph: the gateway's pooled transport. @default Node's fetch */
  fetcher?: Fetcher;
}

/**
 * Where the gateway learns the facts a request's case binding rests on: it asks the court
 * subgraph (which asks the court case system) for the case record (caseRecord.ts), signed
 * like every other subgraph call.
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
   * court subgraph names the case's parties in that request's later fetches, and answers any
   * later ask for the case, without asking the court case system again (its RequestCaseMemo).
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
      body: JSON.stringify({ query: CASE_RECORD.query, variables: { caseNumber } }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const body: unknown = await response.json();
    const parsed = CASE_RECORD.answer.safeParse(body);
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

export interface SignedCaseDirectoryOptions {
  /** The court subgraph's URL. */
  url: string;
  /** Shared with the subgraphs (GatewayConfig.subgraphSecret). */
  secret: string;
  /** The gateway's pooled transport (Node's fetch costs more CPU per call). */
  fetcher?: Fetcher;
  /** @default CaseDirectoryOptions.timeoutMs's */
  timeoutMs?: number;
}

/**
 * The gateway's case directory: each lookup signed as the gateway's case binding, for the
 * case, under the incoming request's id, so the court system logs it under that request.
 */
export function signedCaseDirectory(options: SignedCaseDirectoryOptions): CaseDirectory {
  return new CaseDirectory(
    options.url,
    async (caseNumber, requestId) => ({
      [GATEWAY_SIGNATURE_HEADER]: await signForSubgraph(options.secret, { requestId, service: `${GATEWAY_SIGNATURE_ISSUER}:case-binding`, caseNumber }),
    }),
    { ...(options.fetcher ? { fetcher: options.fetcher } : {}), ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) },
  );
}
