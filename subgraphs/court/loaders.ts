import type DataLoader from 'dataloader';
import { batchLoader } from '../shared/batchLoader';
import { COURT_LIMITS, type CourtClient, type EnforcementCase, type PartyRole } from './client';

export interface CourtLoaders {
  caseByNumber: DataLoader<string, EnforcementCase | null>;
  casesOfParty: DataLoader<string, { role: PartyRole; caseNumber: string }[]>;
  name: DataLoader<string, string | null>;
}

export function createCourtLoaders(client: CourtClient): CourtLoaders {
  return {
    caseByNumber: batchLoader(COURT_LIMITS.caseBatch, (keys) => client.casesByNumber(keys), () => null),
    casesOfParty: batchLoader(COURT_LIMITS.partyBatch, (keys) => client.casesOfParties(keys), () => []),
    name: batchLoader(COURT_LIMITS.identityBatch, (keys) => client.names(keys), () => null),
  };
}
