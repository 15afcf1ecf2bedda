import type DataLoader from 'dataloader';
import { batchLoader } from '../shared/batchLoader';
import { COURT_LIMITS, type CourtClient, type EnforcementCase, type PartyRole } from './client';
import type { RequestCaseMemo } from './requestCaseMemo';

export interface CourtLoaders {
  caseByNumber: DataLoader<string, EnforcementCase | null>;
  casesOfParty: DataLoader<string, { role: PartyRole; caseNumber: string }[]>;
  name: DataLoader<string, string | null>;
}

/**
 * `requestId` (the gateway-signed id of the request these loaders serve) and `memo` let a
 * request's second ask for a case it was already given be answered without the case system.
 */
export function createCourtLoaders(client: CourtClient, memo?: RequestCaseMemo, requestId?: string): CourtLoaders {
  const casesByNumber = async (keys: readonly string[]): Promise<Map<string, EnforcementCase>> => {
    const found = new Map<string, EnforcementCase>();
    const missing: string[] = [];
    for (const key of keys) {
      const remembered = memo && requestId ? memo.get(requestId, key) : undefined;
      if (remembered === undefined) missing.push(key);
      else if (remembered) found.set(key, remembered);
    }
    if (missing.length === 0) return found;
    const asked = await client.casesByNumber(missing);
    for (const key of missing) {
      const c = asked.get(key) ?? null;
      if (memo && requestId) memo.put(requestId, key, c);
      if (c) found.set(key, c);
    }
    return found;
  };
  return {
    caseByNumber: batchLoader(COURT_LIMITS.caseBatch, casesByNumber, () => null),
    casesOfParty: batchLoader(COURT_LIMITS.partyBatch, (keys) => client.casesOfParties(keys), () => []),
    name: batchLoader(COURT_LIMITS.identityBatch, (keys) => client.names(keys), () => null),
  };
}
