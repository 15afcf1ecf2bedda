import { debtorAsset } from '../shared/measures/debtorAsset';
import { measureMutations } from '../shared/measures/measureMutations';
import type { CommerceContext } from './context';
import type { MutationResolvers } from './generated/resolvers';
import { parseShareholdingId, shareholdingId } from './shareholdingId';
import type { Holder } from './types';

/** Freeze ids a court sees: `commerce:12`. */
export const FREEZE_ID_PREFIX = 'commerce';

const freezes = measureMutations<CommerceContext>({ field: 'freeze', idPrefix: FREEZE_ID_PREFIX, assetKind: 'EQUITY' });

const holderKey = (holder: Holder) => (holder.kind === 'PERSON' ? holder.idNumber : holder.creditCode);

/** The registry's control acts: freeze a stake, renew or release a freeze. */
export const mutations: MutationResolvers = {
  async freezeEquity(_, { input }, context) {
    const { loaders, signed } = context;
    const refusal = freezes.check(signed, input);
    if (refusal) return { refusal };
    // Found among the debtors' own stakes, so the registry never hears of anyone else's (not
    // even through the company's record). The stake is the holder's property: the holder, not
    // the company it is in, must be a debtor. An id that names no stake matches none.
    const parsed = parseShareholdingId(input.shareholdingId);
    const { asset: stake, debtor } = await debtorAsset(signed, {
      holdings: loaders.holdingsOf,
      key: parsed ? shareholdingId(parsed.companyCreditCode, parsed.invid) : input.shareholdingId,
      keyOf: (s) => s.id,
      holdersOf: (s) => [holderKey(s.holder)],
      description: `shareholding ${input.shareholdingId}`,
    });
    return freezes.submit(context, { requestId: input.requestId, kind: 'FREEZE', assetKey: stake.id, documentNumber: input.documentNumber, termDays: input.termDays, partyKey: debtor });
  },
  renewEquityFreeze: freezes.renew,
  releaseEquityFreeze: freezes.release,
};
