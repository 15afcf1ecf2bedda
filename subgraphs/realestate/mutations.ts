import { debtorAsset, type DebtorAssetQuery } from '../shared/measures/debtorAsset';
import { measureMutations } from '../shared/measures/measureMutations';
import { unitHolders } from './client';
import type { RealEstateContext } from './context';
import type { MutationResolvers } from './generated/resolvers';
import type { RealEstateLoaders } from './loaders';
import type { RealEstateUnit } from './types';

/** Seal ids a court sees: `realestate:12`. */
export const SEAL_ID_PREFIX = 'realestate';

/** A unit looked for among the signed debtors' own units (see debtorAsset.ts). */
export const amongDebtorsUnits = (loaders: RealEstateLoaders, unitNumber: string): DebtorAssetQuery<RealEstateUnit> => ({
  holdings: loaders.unitsOfOwner,
  key: unitNumber,
  keyOf: (unit) => unit.unitNumber,
  holdersOf: unitHolders,
  description: `unit ${unitNumber}`,
});

const seals = measureMutations<RealEstateContext>({ field: 'seal', idPrefix: SEAL_ID_PREFIX, assetKind: 'REAL_ESTATE' });

/** The registry's control acts: seal a unit, renew or release a seal. */
export const mutations: MutationResolvers = {
  async sealRealEstate(_, { input }, context) {
    const { loaders, signed } = context;
    const refusal = seals.check(signed, input);
    if (refusal) return { refusal };
    // Found among the debtors' own units, so the registries never hear of anyone else's.
    // A unit held jointly with a non-debtor may be sealed: the debtor's share is what it binds.
    const { asset: unit, debtor } = await debtorAsset(signed, amongDebtorsUnits(loaders, input.unitNumber));
    // The seal's `unit` is this unit: no second inquiry.
    loaders.unitByNumber.prime(unit.unitNumber, unit);
    return seals.submit(context, { requestId: input.requestId, kind: 'SEAL', assetKey: unit.unitNumber, documentNumber: input.documentNumber, termDays: input.termDays, partyKey: debtor });
  },
  renewRealEstateSeal: seals.renew,
  releaseRealEstateSeal: seals.release,
};
