import type { SignedRequest } from '../signedRequest';
import { fieldDenied } from '../../../lib/errors/accessDenied';

/**
 * Where each debtor's holdings come from: a per-request DataLoader by holder key (its
 * `loadMany`, e.g. `loaders.unitsOfOwner`; its cache makes many look-ups in one request, such
 * as entity references, cost one inquiry per debtor), or a function of one debtor's key (e.g.
 * for a fresh read that must not come from the request's cache).
 *
 *   const { asset: unit, debtor } = await debtorAsset(context.signed, {
 *     holdings: loaders.unitsOfOwner, key: input.unitNumber, keyOf: (u) => u.unitNumber,
 *     holdersOf: (u) => u.owners.map((o) => partyKey(o.owner)), description: `unit ${input.unitNumber}`,
 *   });
 */
export type DebtorHoldings<A> =
  | { loadMany(holders: readonly string[]): Promise<ReadonlyArray<readonly A[] | Error>> }
  | ((holder: string) => Promise<readonly A[]> | readonly A[]);

export interface DebtorAssetQuery<A> {
  holdings: DebtorHoldings<A>;
  /** The key of the asset asked for, as the agency writes its keys (normalised by the scalar). */
  key: string;
  /** The key of a held asset. */
  keyOf(asset: A): string;
  /** ID numbers / credit codes of all the asset's holders (co-owners included), as the agency names them. */
  holdersOf(asset: A): readonly string[];
  /** What the refusal calls the asset, e.g. `unit 3301…`: built from the key alone, never from what an agency said. */
  description: string;
}

export interface DebtorAsset<A> {
  asset: A;
  /** The debtor who holds it: the party the notice to the agency names (`partyKey`). */
  debtor: string;
}

/**
 * The asset among the holdings of the case's debtors (as the gateway signed them), or null if
 * no debtor holds it. Nothing is asked about the asset itself, only about the debtors, so the
 * agency never hears of a stranger's asset, and a stranger's asset and a key nobody holds look
 * alike. For an asset several debtors hold, the debtor is the first of its holders who is one.
 * A debtor whose holdings could not be read leaves the answer unknown: unless another debtor
 * holds the asset, that failure (an agency error) is thrown, never taken for "not held".
 */
export async function findDebtorAsset<A>(signed: SignedRequest | undefined, query: DebtorAssetQuery<A>): Promise<DebtorAsset<A> | null> {
  const debtors = [...new Set(signed?.debtors ?? [])];
  if (debtors.length === 0) return null;
  const isDebtor = new Set(debtors);
  let failed: unknown;
  for (const held of await holdingsOf(query.holdings, debtors)) {
    if (held instanceof Error) {
      failed ??= held;
      continue;
    }
    for (const asset of held) {
      if (query.keyOf(asset) !== query.key) continue;
      // The asset's own record of its holders decides, should the agency's lists disagree.
      const debtor = query.holdersOf(asset).find((holder) => isDebtor.has(holder));
      if (debtor !== undefined) return { asset, debtor };
    }
  }
  if (failed !== undefined) throw failed;
  return null;
}

/**
 * As findDebtorAsset, for a control act: the asset and its debtor, or the one refusal for an
 * asset no debtor holds, whether someone else holds it or nobody does (`FORBIDDEN`,
 * `NOT_A_DEBTOR`, the same message for both).
 */
export async function debtorAsset<A>(signed: SignedRequest | undefined, query: DebtorAssetQuery<A>): Promise<DebtorAsset<A>> {
  const found = await findDebtorAsset(signed, query);
  if (found) return found;
  const caseNumber = signed?.caseNumber ?? '(none)';
  throw fieldDenied('NOT_A_DEBTOR', `No debtor of case ${caseNumber} holds ${query.description}: it cannot be controlled in that case.`);
}

/** Each debtor's holdings, in the debtors' order; a failed read is its Error. */
async function holdingsOf<A>(holdings: DebtorHoldings<A>, debtors: readonly string[]): Promise<ReadonlyArray<readonly A[] | Error>> {
  if (typeof holdings !== 'function') return holdings.loadMany(debtors);
  const settled = await Promise.allSettled(debtors.map(async (debtor) => holdings(debtor)));
  return settled.map((s) => (s.status === 'fulfilled' ? s.value : s.reason instanceof Error ? s.reason : new Error(String(s.reason))));
}
