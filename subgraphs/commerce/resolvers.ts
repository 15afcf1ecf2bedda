import { AgencyError } from '../shared/agencyError';
import { companyRef, type CompanyRef, personRef, type PersonRef } from '../shared/entityRefs';
import type { AgencyMeasure } from '../shared/measures/controlClient';
import { controlMeasureFields, globalMeasureId, measureSummaryFields } from '../shared/measures/measureFields';
import { COMMERCE_AGENCY } from './client';
import type { Resolvers } from './generated/resolvers';
import type { CommerceLoaders } from './loaders';
import { FREEZE_ID_PREFIX, mutations } from './mutations';
import { parseShareholdingId, shareholdingId } from './shareholdingId';
import { sharePercent } from './sharePercent';
import type { Holder, Shareholding } from './types';

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

// Typed against the SDL (npm run codegen): parents are the domain values types.ts names.
export const resolvers: Resolvers = {
  Person: {
    __resolveReference: (ref) => ref,
    shareholdings: (person, _, { loaders }) => loaders.holdingsOf.load(person.idNumber),
    legalRepresentativeOf: async (person, _, { loaders }) =>
      (await loaders.legalRepresentativeOf.load(person.idNumber)).map(companyRef),
  },
  Company: {
    __resolveReference: (ref) => ref,
    registration: (company, _, { loaders }) => loaders.enterprises.load(company.creditCode),
    shareholders: async (company, _, { loaders }) =>
      (await loaders.enterprises.load(company.creditCode))?.shareholders ?? [],
    shareholdings: (company, _, { loaders }) => loaders.holdingsOf.load(company.creditCode),
    // Freezes are published per stake; the company's record shows those on each of its registered stakes.
    equityFreezes: async (company, _, { loaders }) => {
      const enterprise = await loaders.enterprises.load(company.creditCode);
      if (!enterprise) return [];
      const lists = await loaders.freezesOfStake.loadMany(enterprise.shareholders.map((stake) => stake.id));
      const failed = lists.find((list): list is Error => list instanceof Error);
      if (failed) throw failed;
      return (lists as AgencyMeasure[][]).flat().sort(byService);
    },
  },
  Party: {
    // By the key, not __typename: PersonRef and CompanyRef leave that optional.
    __resolveType: (party) => ('idNumber' in party ? 'Person' : 'Company'),
  },
  CompanyRegistration: {
    registeredCapital: (enterprise) => enterprise.registeredCapitalFen,
    legalRepresentative: (enterprise) => personRef(enterprise.legalRepresentative),
  },
  Shareholding: {
    __resolveReference: (ref, { loaders }) => stakeById(ref.id, loaders),
    freezes: (stake, _, { loaders }) => loaders.freezesOfStake.load(stake.id),
    company: (stake) => companyRef(stake.companyCreditCode),
    holder: (stake) => partyRef(stake.holder),
    subscribedCapital: (stake) => stake.subscribedFen,
    paidInCapital: (stake) => stake.paidInFen,
    // The capital comes with the stake itself: a sweep of many holders' ratios costs no enterprise lookups.
    ratio: (stake) => {
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
    // Non-null in the schema, but the registry may no longer list a stake an ended freeze was
    // on (transferred since): said as the registry's inconsistency, not a bare null violation.
    shareholding: async (freeze, _, { loaders }) => {
      const stake = await stakeById(freeze.assetKey, loaders);
      if (stake === null) {
        throw new AgencyError(
          'AGENCY_BAD_RESPONSE',
          `The ${COMMERCE_AGENCY} lists no shareholding ${freeze.assetKey}, which its freeze ${globalMeasureId(FREEZE_ID_PREFIX, freeze.id)} is on.`,
          { agency: COMMERCE_AGENCY },
        );
      }
      return stake;
    },
  },
  EnforcementCase: {
    __resolveReference: (ref) => ref,
    equityFreezes: ({ caseNumber }, _, { loaders }) => loaders.measuresOfCase.load(caseNumber),
  },
  CaseProgress: {
    __resolveReference: (ref) => ref,
    equityMeasures: ({ caseNumber }, _, { loaders }) => loaders.measuresOfCase.load(caseNumber),
  },
  MeasureSummary: measureSummaryFields,
  Mutation: mutations,
  ControlMeasure: {
    __resolveType: () => 'EquityFreeze',
  },
};
