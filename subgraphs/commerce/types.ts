import type { Fen } from '../../schemas/identifiers';
import type { REGSTATE } from './wire';

/** The commerce registry's companies and stakes in domain terms (what client.ts makes of wire.ts's rows). */

export type CompanyStatus = (typeof REGSTATE)[keyof typeof REGSTATE];

export type Holder = { kind: 'PERSON'; idNumber: string } | { kind: 'COMPANY'; creditCode: string };

export interface Shareholding {
  /** See shareholdingId: company credit code + registry investor id. */
  id: string;
  companyCreditCode: string;
  /**
   * Registered capital of the company the stake is in, as the registry gave it with the stake
   * (both endpoints that list stakes give it), so the stake's ratio needs no further lookup.
   */
  companyRegisteredCapitalFen: Fen;
  holder: Holder;
  subscribedFen: Fen;
  paidInFen: Fen;
  subscribedOn: string | null;
}

export interface Enterprise {
  creditCode: string;
  name: string;
  status: CompanyStatus;
  registeredCapitalFen: Fen;
  /** The legal representative's ID number (the registry does not give the name). */
  legalRepresentative: string;
  establishedOn: string;
  address: string;
  businessScope: string;
  shareholders: Shareholding[];
}

/**
 * The shared values this subgraph's resolvers return for the federated parties and cases and
 * for the control-measure definitions; re-exported so the generated resolver types map its
 * whole schema from this one module (codegen.ts).
 */
export type { CaseRef, CompanyRef, PersonRef } from '../shared/entityRefs';
export type { AgencyMeasure } from '../shared/measures/controlClient';
export type { MeasureRefusal } from '../shared/measures/measureFields';
export type { MeasurePayload } from '../shared/measures/measureMutations';
