/**
 * The parties every subgraph extends (federation entity keys): what `__resolveReference`
 * receives and what a field returns to point at a party another subgraph resolves.
 */
export interface PersonRef {
  __typename?: 'Person';
  idNumber: string;
}

export interface CompanyRef {
  __typename?: 'Company';
  creditCode: string;
}

export const personRef = (idNumber: string): PersonRef => ({ __typename: 'Person', idNumber });
export const companyRef = (creditCode: string): CompanyRef => ({ __typename: 'Company', creditCode });

/** A case by its key: what EnforcementCase and CaseProgress references carry, and all this subgraph needs of one. */
export interface CaseRef {
  caseNumber: string;
}
