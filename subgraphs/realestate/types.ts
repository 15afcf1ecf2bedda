import type { Fen } from '../../schemas/identifiers';

/** The real-estate registry's units, owners and mortgages in domain terms (what wire.ts translates its answers into). */

export type Party = { __typename: 'Person'; idNumber: string } | { __typename: 'Company'; creditCode: string };
export type RealEstateUsage = 'RESIDENTIAL' | 'COMMERCIAL' | 'OFFICE' | 'INDUSTRIAL';
export type RealEstateOwnership = 'SOLE' | 'BY_SHARES' | 'JOINT';

export interface RealEstateOwner {
  owner: Party;
  /** Percent with 2 decimals ("50.00"); null for joint owners. */
  share: string | null;
}

export interface Mortgage {
  mortgagee: string;
  amountFen: Fen;
  registeredOn: string;
  endsOn: string | null;
}

export interface RealEstateUnit {
  unitNumber: string;
  certificateNumber: string;
  address: string;
  countyCode: string;
  usage: RealEstateUsage;
  /** Square metres with exactly 2 decimals ("89.50"). */
  floorArea: string;
  ownership: RealEstateOwnership;
  owners: RealEstateOwner[];
  mortgages: Mortgage[];
  registeredOn: string | null;
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
