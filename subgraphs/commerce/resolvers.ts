import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { AgencyError } from '../shared/agencyError';
import { COMMERCE_AGENCY, type Enterprise, type Holder, type Shareholding } from './client';
import type { CommerceLoaders } from './loaders';
import { parseShareholdingId, shareholdingId } from './shareholdingId';
import { sharePercent } from './sharePercent';

export interface CommerceContext {
  loaders: CommerceLoaders;
}

interface PersonRef {
  __typename?: 'Person';
  idNumber: string;
}

interface CompanyRef {
  __typename?: 'Company';
  creditCode: string;
}

const personRef = (idNumber: string): PersonRef => ({ __typename: 'Person', idNumber });
const companyRef = (creditCode: string): CompanyRef => ({ __typename: 'Company', creditCode });

function partyRef(holder: Holder): PersonRef | CompanyRef {
  return holder.kind === 'PERSON' ? personRef(holder.idNumber) : companyRef(holder.creditCode);
}

export const resolvers: GraphQLResolverMap<CommerceContext> = {
  Person: {
    __resolveReference: (ref: PersonRef) => ref,
    shareholdings: (person: PersonRef, _: unknown, { loaders }: CommerceContext) => loaders.holdingsOf.load(person.idNumber),
    legalRepresentativeOf: async (person: PersonRef, _: unknown, { loaders }: CommerceContext) =>
      (await loaders.legalRepresentativeOf.load(person.idNumber)).map(companyRef),
  },
  Company: {
    __resolveReference: (ref: CompanyRef) => ref,
    registration: (company: CompanyRef, _: unknown, { loaders }: CommerceContext) => loaders.enterprises.load(company.creditCode),
    shareholders: async (company: CompanyRef, _: unknown, { loaders }: CommerceContext) =>
      (await loaders.enterprises.load(company.creditCode))?.shareholders ?? [],
    shareholdings: (company: CompanyRef, _: unknown, { loaders }: CommerceContext) => loaders.holdingsOf.load(company.creditCode),
  },
  Party: {
    __resolveType: (party: PersonRef | CompanyRef) => party.__typename,
  },
  CompanyRegistration: {
    registeredCapital: (enterprise: Enterprise) => enterprise.registeredCapitalFen,
    legalRepresentative: (enterprise: Enterprise) => personRef(enterprise.legalRepresentative),
  },
  Shareholding: {
    __resolveReference: async (ref: { id: string }, { loaders }: CommerceContext) => {
      const parsed = parseShareholdingId(ref.id);
      if (parsed === null) return null;
      const enterprise = await loaders.enterprises.load(parsed.companyCreditCode);
      const id = shareholdingId(parsed.companyCreditCode, parsed.invid);
      return enterprise?.shareholders.find((stake) => stake.id === id) ?? null;
    },
    company: (stake: Shareholding) => companyRef(stake.companyCreditCode),
    holder: (stake: Shareholding) => partyRef(stake.holder),
    subscribedCapital: (stake: Shareholding) => stake.subscribedFen,
    paidInCapital: (stake: Shareholding) => stake.paidInFen,
    // The capital comes with the stake itself: a sweep of many holders' ratios costs no enterprise lookups.
    ratio: (stake: Shareholding) => {
      if (stake.companyRegisteredCapitalFen === 0) {
        throw new AgencyError(
          'AGENCY_BAD_RESPONSE',
          `The ${COMMERCE_AGENCY} records no registered capital for company ${stake.companyCreditCode}, so the ratio of shareholding ${stake.id} is unknown.`,
          { agency: COMMERCE_AGENCY },
        );
      }
      return sharePercent(stake.subscribedFen, stake.companyRegisteredCapitalFen);
    },
  },
};
