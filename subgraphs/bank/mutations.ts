/**
 * The bank subgraph's control mutations: freeze (冻结), renewal, release and deduction (扣划)
 * of deposits. What the law and the capability matrix forbid is refused here before the bank
 * is asked to act (capability, term, debtor's account, over-seizure); the rest is the bank's
 * to answer through its control interface, its refusals coming back as data.
 */
import { GraphQLError } from 'graphql';
import { formatFen } from '../../schemas/identifiers';
import type { AgencyMeasure, ControlActor, ControlClient } from '../shared/measures/controlClient';
import { debtorAsset, type DebtorAssetQuery } from '../shared/measures/debtorAsset';
import {
  checkMeasureRequest,
  controlActor,
  globalMeasureId,
  localMeasureId,
  type MeasureRefusal,
  refusalOf,
  unknownMeasure,
} from '../shared/measures/measureFields';
import type { SignedRequest } from '../shared/signedRequest';
import { BANK_AGENCY, holderKey } from './clients/bankApi';
import { type BankLoader, freezeAt } from './loaders';
import type { BankContext } from './context';
import type { BankAccount, BankCapability, DeductionPayload, DepositDeductionValue, DepositFreezeRecord, FreezePayload } from './types';
import { fieldDenied } from '../../lib/errors/accessDenied';
import { codedError } from '../../lib/errors/codedError';

/** Freeze ids a court sees carry the bank: `bank:NCB:17`. */
export function freezeIdPrefix(bankCode: string): string {
  return `bank:${bankCode}`;
}

export interface FreezeDepositInput {
  requestId: string;
  bankCode: string;
  accountNumber: string;
  documentNumber: string;
  termDays: number;
  /** Integer fen (the Money scalar); null or absent: the whole balance. */
  amount?: number | null;
}

export interface DeductFrozenDepositInput {
  requestId: string;
  measureId: string;
  amount: number;
}

const ACT: Record<BankCapability, string> = { QUERY: 'inquiries', FREEZE: 'freezes', DEDUCT: 'deductions' };

/** Refuses an act the bank does not take online, before anything is sent to it. */
function requireCapability(loader: BankLoader, capability: BankCapability): ControlClient {
  const { bank } = loader;
  if (!bank.capabilities.includes(capability)) {
    throw codedError('CAPABILITY_UNAVAILABLE', `The bank ${bank.code} (${bank.name}) takes no ${ACT[capability]} online; serve the court's notice on paper at the account's branch.`, {
      agency: BANK_AGENCY,
      provider: bank.code,
      capability,
    });
  }
  // A bank configured to freeze online has a control prefix; without one this is a misconfiguration.
  if (!loader.control) throw new Error(`Bank ${bank.code} has capability ${capability} but no control interface is configured.`);
  return loader.control;
}

function badInput(message: string, argument: string): GraphQLError {
  return codedError('BAD_USER_INPUT', message, { argument });
}

/** The bank a freeze id names, with the bank's own id of the freeze. */
function freezeNamed(context: BankContext, measureId: string): { loader: BankLoader; localId: string } | undefined {
  for (const loader of context.loaders.banks) {
    const localId = localMeasureId(freezeIdPrefix(loader.bank.code), measureId);
    if (localId) return { loader, localId };
  }
  return undefined;
}

/**
 * What the case still has to recover, as the gateway signed it for this request. The schema's
 * `@policy(case_bound)` makes the gateway sign it; a request without it is a misconfiguration.
 */
function signedOutstandingFen(signed: SignedRequest): number {
  const outstanding = signed.caseOutstandingFen;
  if (outstanding === undefined) {
    throw fieldDenied('CASE_REQUIRED', 'A control request needs the outstanding amount of its case, signed by the gateway.');
  }
  return Number(outstanding);
}

/** The account as the bank reports it now (not an answer cached earlier in the request), or null. */
async function freshAccount(loader: BankLoader, accountNumber: string): Promise<BankAccount | null> {
  const outcome = await loader.account.clear(accountNumber).load(accountNumber);
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

/**
 * The account among the case's debtors' own accounts at this bank, as the bank reports them
 * now (not answers cached earlier in the request), with the debtor who holds it. The bank is
 * asked about the debtors only, never about the number: a stranger's account and a number
 * nobody holds are refused alike (FORBIDDEN NOT_A_DEBTOR), and the bank never hears of them.
 */
async function debtorsAccount(signed: SignedRequest, loader: BankLoader, accountNumber: string): Promise<{ account: BankAccount; debtor: string }> {
  const { asset, debtor } = await debtorAsset(signed, amongDebtorsAccounts(loader, accountNumber, { fresh: true }));
  return { account: asset, debtor };
}

/**
 * An account looked for among the signed debtors' own accounts at one bank (see
 * debtorAsset.ts); `fresh`: asked of the bank again, not taken from earlier in the request.
 */
export function amongDebtorsAccounts(loader: BankLoader, accountNumber: string, { fresh }: { fresh: boolean }): DebtorAssetQuery<BankAccount> {
  return {
    holdings: async (holder) => {
      const outcome = await (fresh ? loader.holdings.clear(holder) : loader.holdings).load(holder);
      if (!outcome.ok) throw outcome.error;
      return outcome.value.accounts;
    },
    key: accountNumber,
    keyOf: (account) => account.accountNumber,
    holdersOf: (account) => [holderKey(account.holder)],
    description: `account ${accountNumber} at bank ${loader.bank.code}`,
  };
}

/**
 * The most a freeze of the account could ever come to control, as the bank reports it now:
 * what is available plus what freezes in force hold on it (a waiting freeze, once promoted,
 * takes what they held), never more than the balance. Fen.
 */
async function mostAccountGivesFen(loader: BankLoader, account: BankAccount): Promise<number> {
  const freezes = await loader.freezesOfAccount!.clear(account.accountNumber).load(account.accountNumber);
  let heldFen = 0;
  for (const f of freezes) if (f.status === 'ACTIVE') heldFen += (f.amountControlledFen ?? 0) - f.amountDeductedFen;
  return Math.max(0, Math.min(account.balanceFen, account.availableFen + heldFen));
}

/**
 * The limit (冻结限额) a freeze is served with: what was asked, but never more than the
 * account could give (absent: all it could give). Counted at its limit until it takes
 * effect, a freeze so reserves no more than it can ever control. An ask within the
 * available balance needs no look at the account's other freezes.
 */
async function freezeLimitFen(loader: BankLoader, account: BankAccount, askedFen: number | null): Promise<number> {
  if (askedFen !== null && askedFen <= account.availableFen) return askedFen;
  const mostFen = await mostAccountGivesFen(loader, account);
  return askedFen === null ? mostFen : Math.min(askedFen, mostFen);
}

/**
 * The limit a retry is sent with: the one its freeze was served with, which the bank compares.
 * An ask below it cannot be the same request, so it goes as asked for the bank to refuse
 * (REQUEST_ID_REUSED); an ask above it, or none, may be one that was served trimmed.
 */
function retriedLimitFen(askedFen: number | null, servedFen: number | null): number | null {
  return askedFen === null || (servedFen !== null && askedFen >= servedFen) ? servedFen : askedFen;
}

/** An account with nothing a freeze could take: no limit above nothing can be served. */
function nothingToFreeze(account: BankAccount): MeasureRefusal {
  return {
    code: 'NOTHING_TO_FREEZE',
    message:
      `Account ${account.accountNumber} at bank ${account.bankCode} holds no funds a freeze could take ` +
      `(${formatFen(Math.max(0, account.availableFen))} yuan available, none of it held by other freezes): there is no deposit to freeze.`,
  };
}

/** The court's own request id of an agency request id, which the control client prefixes with the court code. */
function courtsOwn(requestId: string, courtCode: string): string {
  return requestId.startsWith(`${courtCode}/`) ? requestId.slice(courtCode.length + 1) : requestId;
}

/** The id a court sees for a bank's deduction: `bank:NCB:deduction:3`. */
function deductionId(bankCode: string, bankOwnId: string): string {
  return `${freezeIdPrefix(bankCode)}:deduction:${bankOwnId}`;
}

export function deductionOf(freeze: DepositFreezeRecord, deduction: AgencyMeasure['deductions'][number]): DepositDeductionValue {
  return {
    id: deductionId(freeze.bankCode, deduction.id),
    requestId: courtsOwn(deduction.requestId, freeze.courtCode),
    amountFen: deduction.amountFen,
    at: deduction.at,
    transferredAt: deduction.transferredAt,
  };
}

/**
 * The deposits the case controls, or may come to control without another check, at every bank
 * that freezes online: what ACTIVE freezes hold undeducted; what SUBMITTED and WAITING ones
 * may take once they take effect, which is their limit (one served without a limit, before
 * every freeze had one: the most its account could give); and what was deducted that the
 * signed outstanding amount does not count yet (in this request, or not yet received into
 * the case account), as for a deduction. So no answer or promotion to come can take the case
 * above what it is owed. `retry` is the freeze this request id already made at `bankCode`,
 * if any: a retry is answered by the bank, not checked again. A bank that cannot answer
 * fails the check: over-seizure cannot be ruled out without it.
 */
async function depositsControlled(
  context: BankContext,
  actor: ControlActor,
  bankCode: string,
  requestId: string,
): Promise<{ controlledFen: number; retry: AgencyMeasure | undefined }> {
  const freezing = context.loaders.banks.filter((b) => b.control && b.bank.capabilities.includes('FREEZE'));
  const perBank = await Promise.all(freezing.map(async (loader) => ({ loader, measures: await loader.control!.ofCase(actor.caseNumber) })));
  let controlledFen = 0;
  let retry: AgencyMeasure | undefined;
  const unlimited: Promise<number>[] = [];
  for (const { loader, measures } of perBank) {
    for (const m of measures) {
      if (loader.bank.code === bankCode && m.courtCode === actor.courtCode && m.requestId === requestId) retry = m;
      if (m.status === 'ACTIVE') controlledFen += (m.amountControlledFen ?? 0) - m.amountDeductedFen;
      if (m.status === 'SUBMITTED' || m.status === 'WAITING') {
        if (m.amountFen !== null) controlledFen += m.amountFen;
        else unlimited.push(mostUnlimitedTakesFen(loader, m.assetKey));
      }
      for (const d of m.deductions) {
        if (d.transferredAt === null && !context.deducted.has(deductionId(loader.bank.code, d.id))) controlledFen += d.amountFen;
      }
    }
  }
  for (const fen of context.deducted.values()) controlledFen += fen;
  for (const fen of await Promise.all(unlimited)) controlledFen += fen;
  return { controlledFen, retry };
}

/** The most a freeze served without a limit could take of its account (none, if the bank no longer knows the account). */
async function mostUnlimitedTakesFen(loader: BankLoader, accountNumber: string): Promise<number> {
  const account = await freshAccount(loader, accountNumber);
  return account ? mostAccountGivesFen(loader, account) : 0;
}

export async function freezeDeposit(input: FreezeDepositInput, context: BankContext): Promise<FreezePayload> {
  const actor = controlActor(context.signed);
  const loader = context.loaders.bank(input.bankCode);
  if (!loader) throw badInput(`No bank with code ${input.bankCode} is on the network.`, 'bankCode');
  const control = requireCapability(loader, 'FREEZE');
  const refusal = checkMeasureRequest('DEPOSIT', input);
  if (refusal) return { refusal };
  const askedFen = input.amount ?? null;
  if (askedFen !== null && askedFen <= 0) throw badInput('A freeze limit must be more than 0.00 yuan; leave amount out to freeze the whole balance.', 'amount');
  const bankCode = loader.bank.code;

  return context.caseLocks.run(actor.caseNumber, async () => {
    const { account, debtor } = await debtorsAccount(context.signed, loader, input.accountNumber);
    const foreign = foreignCurrency(account);
    if (foreign) return { refusal: foreign };

    const outstandingFen = signedOutstandingFen(context.signed);
    const held = await depositsControlled(context, actor, bankCode, input.requestId);
    let limitFen: number | null;
    if (held.retry) limitFen = retriedLimitFen(askedFen, held.retry.amountFen);
    else {
      limitFen = await freezeLimitFen(loader, account, askedFen);
      if (limitFen === 0) return { refusal: nothingToFreeze(account) };
      const refusal = overSeizure(actor.caseNumber, outstandingFen, held.controlledFen, askedFen, limitFen);
      if (refusal) return { refusal };
    }
    const outcome = await control.submit(actor, {
      requestId: input.requestId,
      assetKind: 'DEPOSIT',
      kind: 'FREEZE',
      assetKey: account.accountNumber,
      documentNumber: input.documentNumber,
      termDays: input.termDays,
      ...(limitFen === null ? {} : { amountFen: limitFen }),
      partyKey: debtor,
    });
    return 'refused' in outcome ? { refusal: refusalOf(outcome.refused) } : { freeze: freezeAt(bankCode, outcome.ok) };
  });
}

/**
 * The over-seizure bar counts yuan: the case's outstanding amount and every limit are in CNY,
 * and the network carries no exchange rate. An account held in another currency cannot be
 * valued against them, so it is not frozen online (counting its balance as yuan would let a
 * USD account control about seven times what the check allowed).
 */
function foreignCurrency(account: BankAccount): MeasureRefusal | undefined {
  if (account.currency === 'CNY') return undefined;
  return {
    code: 'FOREIGN_CURRENCY',
    message:
      `Account ${account.accountNumber} at bank ${account.bankCode} is held in ${account.currency}, and what a case may control is counted in yuan ` +
      `with no exchange rate on the network: freeze it at the bank's counter, stating the amount in ${account.currency} at the day's rate.`,
  };
}

/**
 * The law's bar on obvious over-seizure (超标的): what the case controls in deposits, with the
 * most this freeze could control (its limit, at most what the account could give), may not
 * exceed what the case still has outstanding; nor may a freeze ask for more than that. A
 * freeze beyond it is refused, naming the room left, never served with its limit cut to fit.
 */
function overSeizure(caseNumber: string, outstandingFen: number, controlledFen: number, askedFen: number | null, limitFen: number): MeasureRefusal | undefined {
  const roomFen = Math.max(0, outstandingFen - controlledFen);
  if (limitFen <= roomFen && (askedFen === null || askedFen <= outstandingFen)) return undefined;
  const asks = askedFen === null ? 'the whole balance' : `${formatFen(askedFen)} yuan`;
  return {
    code: 'OVER_SEIZURE',
    limit: roomFen,
    message:
      `Case ${caseNumber} has ${formatFen(outstandingFen)} yuan outstanding and already controls ${formatFen(controlledFen)} yuan in deposits ` +
      `(freezes not in force yet count at their limit, deductions not yet received too), so at most ${formatFen(roomFen)} yuan more may be frozen; ` +
      `this freeze asks for ${asks} and would control up to ${formatFen(limitFen)} yuan.`,
  };
}

export async function renewDepositFreeze(
  input: { measureId: string; termDays: number; documentNumber: string },
  context: BankContext,
): Promise<FreezePayload> {
  const actor = controlActor(context.signed);
  const named = freezeNamed(context, input.measureId);
  if (!named) return { refusal: unknownMeasure(input.measureId) };
  const control = requireCapability(named.loader, 'FREEZE');
  const refusal = checkMeasureRequest('DEPOSIT', input);
  if (refusal) return { refusal };
  const outcome = await control.renew(actor, named.localId, input.termDays, input.documentNumber);
  return 'refused' in outcome ? { refusal: refusalOf(outcome.refused) } : { freeze: freezeAt(named.loader.bank.code, outcome.ok) };
}

export async function releaseDepositFreeze(input: { measureId: string; documentNumber: string }, context: BankContext): Promise<FreezePayload> {
  const actor = controlActor(context.signed);
  const named = freezeNamed(context, input.measureId);
  if (!named) return { refusal: unknownMeasure(input.measureId) };
  const control = requireCapability(named.loader, 'FREEZE');
  if (input.documentNumber.trim() === '') {
    return { refusal: { code: 'DOCUMENT_NUMBER_REQUIRED', message: 'A release needs the ruling / notice number it rests on.' } };
  }
  const outcome = await control.release(actor, named.localId, input.documentNumber);
  return 'refused' in outcome ? { refusal: refusalOf(outcome.refused) } : { freeze: freezeAt(named.loader.bank.code, outcome.ok.measure) };
}

export async function deductFrozenDeposit(input: DeductFrozenDepositInput, context: BankContext): Promise<DeductionPayload> {
  const actor = controlActor(context.signed);
  const named = freezeNamed(context, input.measureId);
  if (!named) return { refusal: unknownMeasure(input.measureId) };
  const control = requireCapability(named.loader, 'DEDUCT');
  if (input.amount <= 0) throw badInput('A deduction must be more than 0.00 yuan.', 'amount');
  const outstandingFen = signedOutstandingFen(context.signed);
  const bankCode = named.loader.bank.code;

  return context.caseLocks.run(actor.caseNumber, async () => {
    const owed = await deductible(context, actor, outstandingFen, { bankCode, localId: named.localId, requestId: input.requestId });
    if (!owed.retry && input.amount > owed.limitFen) return { refusal: overDeduction(actor.caseNumber, outstandingFen, owed, input.amount) };
    const outcome = await control.deduct(actor, named.localId, input.amount, input.requestId);
    if ('refused' in outcome) return { refusal: refusalOf(outcome.refused) };
    const freeze = freezeAt(bankCode, outcome.ok.measure);
    const deduction = deductionOf(freeze, outcome.ok.deduction);
    // Keyed by id: a retry within the request answers the same deduction and counts once.
    context.deducted.set(deduction.id, deduction.amountFen);
    // The account's balance changed: a later field of this request asks the bank again.
    named.loader.account.clear(freeze.assetKey);
    return { deduction, freeze, lapsed: outcome.ok.lapsed.map((m) => freezeAt(bankCode, m)) };
  });
}

interface Deductible {
  /** What may still be deducted for the case now, in fen. */
  limitFen: number;
  /** Deducted for the case but not yet in the signed outstanding amount, in fen. */
  uncountedFen: number;
  /** This request id already deducted under this freeze: the bank answers the retry. */
  retry: boolean;
}

/**
 * What the case may still have deducted: the outstanding amount the gateway signed when this
 * request began, less what was deducted for the case that it does not count yet, at every
 * bank that deducts online: this request's own deductions, and the deductions whose transfer
 * the court's case account has not confirmed (the funds have left the debtor's account; the
 * case's outstanding amount drops only on receipt). Without this, two deductions in one
 * request, each within the outstanding amount, could together take more. A bank that cannot
 * answer fails the check, as for a freeze.
 */
async function deductible(
  context: BankContext,
  actor: ControlActor,
  outstandingFen: number,
  target: { bankCode: string; localId: string; requestId: string },
): Promise<Deductible> {
  const deducting = context.loaders.banks.filter((b) => b.control && b.bank.capabilities.includes('DEDUCT'));
  const perBank = await Promise.all(deducting.map(async (loader) => ({ loader, measures: await loader.control!.ofCase(actor.caseNumber) })));
  let uncountedFen = 0;
  let retry = false;
  for (const { loader, measures } of perBank) {
    for (const freeze of measures) {
      for (const d of freeze.deductions) {
        if (loader.bank.code === target.bankCode && freeze.id === target.localId && courtsOwn(d.requestId, actor.courtCode) === target.requestId) retry = true;
        if (d.transferredAt === null && !context.deducted.has(deductionId(loader.bank.code, d.id))) uncountedFen += d.amountFen;
      }
    }
  }
  for (const fen of context.deducted.values()) uncountedFen += fen;
  return { limitFen: Math.max(0, outstandingFen - uncountedFen), uncountedFen, retry };
}

function overDeduction(caseNumber: string, outstandingFen: number, owed: Deductible, askedFen: number): MeasureRefusal {
  const message =
    owed.uncountedFen === 0
      ? `Case ${caseNumber} has ${formatFen(outstandingFen)} yuan outstanding; ${formatFen(askedFen)} yuan cannot be deducted for it.`
      : `Case ${caseNumber} has ${formatFen(outstandingFen)} yuan outstanding as of this request, less ${formatFen(owed.uncountedFen)} yuan ` +
        'deducted that this does not count yet (in this request, or not yet received into the case account): ' +
        `at most ${formatFen(owed.limitFen)} yuan more may be deducted, not ${formatFen(askedFen)} yuan.`;
  return { code: 'OVER_SEIZURE', limit: owed.limitFen, message };
}

export function freezeGlobalId(freeze: DepositFreezeRecord): string {
  return globalMeasureId(freezeIdPrefix(freeze.bankCode), freeze.id);
}
