import { AgencyError } from '../shared/agencyError';
import { companyRef, type CompanyRef, personRef, type PersonRef } from '../shared/entityRefs';
import type { AgencyMeasure } from '../shared/measures/controlClient';
import { controlMeasureFields, measureSummaryFields } from '../shared/measures/measureFields';
import type { GraphQLResolverMap } from '../shared/resolverMap';
import { COMMERCE_AGENCY } from './client';
import type { CommerceContext } from './context';
import type { CommerceLoaders } from './loaders';
import { FREEZE_ID_PREFIX, mutations } from './mutations';
import { parseShareholdingId, shareholdingId } from './shareholdingId';
import { sharePercent } from './sharePercent';
import type { Enterprise, Holder, Shareholding } from './types';

/** A stake by its Shareholding id, from its company's record; null if the id names none. */
async function stakeById(id: string, loaders: CommerceLoaders): Promise<Shareholding | null> {
  const parsed = parseShareholdingId(id);
  if (parsed === null) return null;
  const enterprise = await loaders.enterprises.load(parsed.companyCreditCode);
  const normalised = shareholdingId(parsed.companyCreditCode, parsed.invid);
  return enterprise?.shareholders.find((stake) => stake.id === normalised) ?? null;
}

/** In order of service: measure ids are the registry's serial numbers. */
const byService = (a: AgencyMeasure, b: AgencyMeasure) => Number(a.id) - Number(b.id);

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
    // Freezes are published per stake; the company's record shows those on each of its registered stakes.
    equityFreezes: async (company: CompanyRef, _: unknown, { loaders }: CommerceContext) => {
      const enterprise = await loaders.enterprises.load(company.creditCode);
      if (!enterprise) return [];
      const lists = await loaders.freezesOfStake.loadMany(enterprise.shareholders.map((stake) => stake.id));
      const failed = lists.find((list): list is Error => list instanceof Error);
      if (failed) throw failed;
      return (lists as AgencyMeasure[][]).flat().sort(byService);
    },
  },
  Party: {
    __resolveType: (party: PersonRef | CompanyRef) => party.__typename,
  },
  CompanyRegistration: {
    registeredCapital: (enterprise: Enterprise) => enterprise.registeredCapitalFen,
    legalRepresentative: (enterprise: Enterprise) => personRef(enterprise.legalRepresentative),
  },
  Shareholding: {
    __resolveReference: (ref: { id: string }, { loaders }: CommerceContext) => stakeById(ref.id, loaders),
    freezes: (stake: Shareholding, _: unknown, { loaders }: CommerceContext) => loaders.freezesOfStake.load(stake.id),
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
  EquityFreeze: {
    ...controlMeasureFields(FREEZE_ID_PREFIX),
    shareholding: (freeze: AgencyMeasure, _: unknown, { loaders }: CommerceContext) => stakeById(freeze.assetKey, loaders),
  },
  EnforcementCase: {
    __resolveReference: (ref: { caseNumber: string }) => ref,
    equityFreezes: ({ caseNumber }: { caseNumber: string }, _: unknown, { loaders }: CommerceContext) => loaders.measuresOfCase.load(caseNumber),
  },
  CaseProgress: {
    __resolveReference: (ref: { caseNumber: string }) => ref,
    equityMeasures: ({ caseNumber }: { caseNumber: string }, _: unknown, { loaders }: CommerceContext) => loaders.measuresOfCase.load(caseNumber),
  },
  MeasureSummary: measureSummaryFields,
  Mutation: mutations,
  ControlMeasure: {
    __resolveType: () => 'EquityFreeze',
  },
};
