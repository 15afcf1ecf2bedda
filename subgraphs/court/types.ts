/** The court case system's cases and parties in domain terms (what client.ts makes of wire.ts's answers). */

export type CaseStatus = 'ACTIVE' | 'SUSPENDED' | 'CLOSED';
export type PartyRole = 'DEBTOR' | 'APPLICANT';
/** A party to a case, with its name as the case record holds it (当事人名称). */
export type Party = { __typename: 'Person'; idNumber: string; name: string } | { __typename: 'Company'; creditCode: string; name: string };

export interface EnforcementCase {
  caseNumber: string;
  courtCode: string;
  courtName: string;
  status: CaseStatus;
  cause: string;
  amountDueFen: number;
  outstandingFen: number;
  filedOn: string;
  closedOn: string | null;
  officer: string;
  applicants: Party[];
  debtors: Party[];
}

export interface CasePage {
  total: number;
  cases: EnforcementCase[];
}

export type { CompanyRef, PersonRef } from '../shared/entityRefs';
