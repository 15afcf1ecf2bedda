import type DataLoader from 'dataloader';
import { batchLoader } from '../shared/batchLoader';
import { COURT_LIMITS, type CourtClient } from './client';
import type { EnforcementCase, PartyRole } from './types';
import type { RequestCaseMemo } from './requestCaseMemo';

export interface CourtLoaders {
  caseByNumber: DataLoader<string, EnforcementCase | null>;
  casesOfParty: DataLoader<string, { role: PartyRole; caseNumber: string }[]>;
  name: DataLoader<string, string | null>;
}

/**
 * Teaches the request's `name` loader the names a case record gives its parties, so a case's
 * parties are named without asking the identity service. A name the loader already holds (or
 * is already asking for) is kept; an empty name teaches nothing, and identity verification
 * answers for that party as before.
 */
export function primePartyNames(name: CourtLoaders['name'], kase: EnforcementCase): void {
  for (const party of [...kase.applicants, ...kase.debtors]) {
    if (party.name === '') continue;
    name.prime(party.__typename === 'Person' ? party.idNumber : party.creditCode, party.name);
  }
}

/** The gateway request the loaders serve, and the memo of cases given to it so far. */
export interface CourtRequest {
  memo: RequestCaseMemo;
  /** The gateway-signed id of the request. */
  requestId: string;
  /** The case the request states (signed), if any. */
  caseNumber?: string;
}

/**
 * With `request`, a request's second ask for a case it was already given is answered from
 * the memo, without the case system. Every case loaded (from the memo or the case system)
 * primes the `name` loader with its parties' names before the case is handed on, so
 * resolvers below the case never wait for the identity service.
 */
export function createCourtLoaders(client: CourtClient, request?: CourtRequest): CourtLoaders {
  const name = batchLoader(COURT_LIMITS.identityBatch, (keys) => client.names(keys), () => null);
  // The case this request states, as the gateway's case-binding lookup already got it: its
  // parties are named from it too, so `person(idNumber) { name }` or a debtors' sweep in that
  // case does not wait for the identity service before the agencies are asked.
  const stated = request?.caseNumber ? request.memo.get(request.requestId, request.caseNumber) : undefined;
  if (stated) primePartyNames(name, stated);
  const casesByNumber = async (keys: readonly string[]): Promise<Map<string, EnforcementCase>> => {
    const found = new Map<string, EnforcementCase>();
    const missing: string[] = [];
    for (const key of keys) {
      const remembered = request?.memo.get(request.requestId, key);
      if (remembered === undefined) missing.push(key);
      else if (remembered) found.set(key, remembered);
    }
    if (missing.length > 0) {
      const asked = await client.casesByNumber(missing);
      for (const key of missing) {
        const c = asked.get(key) ?? null;
        request?.memo.put(request.requestId, key, c);
        if (c) found.set(key, c);
      }
    }
    for (const c of found.values()) primePartyNames(name, c);
    return found;
  };
  return {
    caseByNumber: batchLoader(COURT_LIMITS.caseBatch, casesByNumber, () => null),
    casesOfParty: batchLoader(COURT_LIMITS.partyBatch, (keys) => client.casesOfParties(keys), () => []),
    name,
  };
}
