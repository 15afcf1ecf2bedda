import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { AgencyError } from '../shared/agencyError';
import type { AgencyMeasure, ControlClient } from '../shared/measures/controlClient';
import { debtorAsset } from '../shared/measures/debtorAsset';
import { controlMeasureFields, measureSummaryFields } from '../shared/measures/measureFields';
import { type MeasurePayload, measureMutations } from '../shared/measures/measureMutations';
import { COMMERCE_AGENCY, type Enterprise, type Holder, type Shareholding } from './client';
import type { CommerceLoaders } from './loaders';
import { parseShareholdingId, shareholdingId } from './shareholdingId';
import { sharePercent } from './sharePercent';

export interface CommerceContext {
  loaders: CommerceLoaders;
  control: ControlClient;
}

/** Freeze ids a court sees: `commerce:12`. */
export const FREEZE_ID_PREFIX = 'commerce';

interface FreezeInput {
  requestId: string;
  shareholdingId: string;
  documentNumber: string;
  termDays: number;
}

const freezes = measureMutations<CommerceContext>({ field: 'freeze', idPrefix: FREEZE_ID_PREFIX, assetKind: 'EQUITY' });

const holderKey = (holder: Holder) => (holder.kind === 'PERSON' ? holder.idNumber : holder.creditCode);

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
  Mutation: {
    async freezeEquity(_: unknown, { input }: { input: FreezeInput }, { loaders, control }: CommerceContext): Promise<MeasurePayload> {
      const refusal = freezes.check(input);
      if (refusal) return { refusal };
      // Found among the debtors' own stakes, so the registry never hears of anyone else's (not
      // even through the company's record). The stake is the holder's property: the holder, not
      // the company it is in, must be a debtor. An id that names no stake matches none.
      const parsed = parseShareholdingId(input.shareholdingId);
      const { asset: stake, debtor } = await debtorAsset({
        holdings: loaders.holdingsOf,
        key: parsed ? shareholdingId(parsed.companyCreditCode, parsed.invid) : input.shareholdingId,
        keyOf: (s) => s.id,
        holdersOf: (s) => [holderKey(s.holder)],
        description: `shareholding ${input.shareholdingId}`,
      });
      return freezes.submit(control, { requestId: input.requestId, kind: 'FREEZE', assetKey: stake.id, documentNumber: input.documentNumber, termDays: input.termDays, partyKey: debtor });
    },
    renewEquityFreeze: freezes.renew,
    releaseEquityFreeze: freezes.release,
  },
  ControlMeasure: {
    __resolveType: () => 'EquityFreeze',
  },
};
