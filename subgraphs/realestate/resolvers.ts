import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { checkUnitNumber } from '../../schemas/identifiers';
import type { Mortgage, Party, RealEstateUnit } from './client';
import type { RealEstateLoaders } from './loaders';

export interface RealEstateContext {
  loaders: RealEstateLoaders;
}

export const resolvers: GraphQLResolverMap<RealEstateContext> = {
  Person: {
    __resolveReference: (ref: { idNumber: string }) => ref,
    realEstate: ({ idNumber }: { idNumber: string }, _: unknown, { loaders }: RealEstateContext) => loaders.unitsOfOwner.load(idNumber),
  },
  Company: {
    __resolveReference: (ref: { creditCode: string }) => ref,
    realEstate: ({ creditCode }: { creditCode: string }, _: unknown, { loaders }: RealEstateContext) => loaders.unitsOfOwner.load(creditCode),
  },
  RealEstateUnit: {
    // A representation's key is not checked by the UnitNumber scalar: a number that cannot exist names no unit.
    __resolveReference: (ref: { unitNumber: unknown }, { loaders }: RealEstateContext): Promise<RealEstateUnit | null> | null => {
      const checked = checkUnitNumber(ref.unitNumber);
      return checked.ok ? loaders.unitByNumber.load(checked.value) : null;
    },
  },
  Mortgage: {
    amount: (m: Mortgage) => m.amountFen,
  },
  Party: {
    __resolveType: (party: Party) => party.__typename,
  },
};
