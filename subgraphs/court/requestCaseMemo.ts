import type { EnforcementCase } from './client';

/**
 * The case records one gateway request has already been given, for a few seconds: the
 * gateway checks a request's case binding by asking for the case, and a dossier then asks
 * for the same case again within the same request. The second ask is answered from here, so
 * the court case system is asked once per request and the answer cannot differ within it.
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
