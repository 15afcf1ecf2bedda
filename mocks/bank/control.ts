import { formatFen } from '../../schemas/identifiers';
import { controlRoutes, flushTransfers, openMeasureBook } from '../shared/measures/controlDesk';
import type { Assessment, Deduction, Measure } from '../shared/measures/measureTypes';
import { AgencyRefusal, type EmulatorRequest, type Route } from '../shared/startEmulator';
import { type AccountGroup, applyDeductions, type BankBook } from './bankBook';
import type { BankEmulatorOptions } from './emulatorOptions';

/** Where the court case system takes receipts (mocks/court/server.ts). */
const RECEIPTS_PATH = '/zxaj/v1/cases/receipts';
/** How long a bank waits for the court to confirm a transfer before leaving it pending. */
const TRANSFER_TIMEOUT_MS = 5000;

/**
 * A bank's part of the network's control interface (freeze 冻结, renewal 续冻, release 解冻,
 * deduction 扣划) under `prefix`, over a measure book kept in `options.control`: freezes of
 * DEPOSIT accounts by account number. Empty without `options.control` (query-only bank).
 *
 * - An account the bank does not keep is refused outright (404 ASSET_NOT_FOUND).
 * - The bank answers a request after the book's answer delay: a CLOSED account is returned
 *   (回退); otherwise the freeze controls at most the available balance (after deductions).
 * - Deductions (only with `options.courtUrl`: the bank needs the court's case account to pay
 *   into) debit the account at once and are paid to the court's case account, serial number
 *   (lsh) `<bank code>-<deduction id>` (unique across banks, and the same on every retry).
 * - Balances after deductions come from the book's deductions, so a restarted bank shows
 *   the same balances.
 */
export interface BankControl {
  routes: Route[];
  /**
   * The accounts as the bank shows them now: the available balance less what freezes in
   * force hold (frozen funds are not the holder's to draw). Accounts never frozen cost nothing.
   */
  withHolds(groups: AccountGroup[]): Promise<AccountGroup[]>;
}

export async function bankControl(book: BankBook, prefix: string, options: BankEmulatorOptions): Promise<BankControl> {
  const control = options.control;
  if (!control) return { routes: [], withHolds: async (groups) => groups };
  const assess = (measure: Measure): Assessment => {
    const account = book.accountByNumber.get(measure.assetKey);
    if (!account) return { returned: '账户不存在 (no such account)' };
    if (account.status === 'CLOSED') return { returned: '账户已销户 (account closed)' };
    // Deductions are already debited from the bank's copy of the account.
    return { controllableFen: Math.max(0, account.availableFen) };
  };
  const measures = await openMeasureBook(control, assess);
  applyDeductions(book, await measures.deductedByAsset());
  // Accounts with any freeze, ever: only their inquiries need the book.
  const frozen = new Set(await measures.assetKeys());

  const { courtUrl } = options;
  const transfer = courtUrl ? (deduction: Deduction) => payCourt(courtUrl, book.bankCode, deduction) : undefined;
  // Transfers left pending when the bank last stopped (the court was down) go out now.
  if (transfer) await flushTransfers(measures, transfer);
  const routes = controlRoutes({
    prefix,
    book: measures,
    takes: [['DEPOSIT', 'FREEZE']],
    admit: ({ assetKey }) => {
      if (!book.accountByNumber.has(assetKey)) throw new AgencyRefusal(404, 'ASSET_NOT_FOUND', `bank ${book.bankCode} keeps no account ${assetKey}`);
    },
    ...(transfer ? { transfer } : {}),
  });
  // A deduction that committed leaves the account at once, whether or not the court confirmed yet.
  // After a submit the account is one to look up; after a deduction the account is debited at
  // once, whether or not the court confirmed the transfer yet.
  const after = (route: Route, then: (req: EmulatorRequest) => Promise<void> | void): Route => ({
    ...route,
    async handle(req) {
      const answer = await route.handle(req);
      await then(req);
      return answer;
    },
  });
  const wrapped = routes.map((route) => {
    if (route.path.test(`${prefix}/submit`)) return after(route, (req) => void frozen.add((req.body as { assetKey: string }).assetKey));
    if (route.path.test(`${prefix}/deduct`)) return after(route, async () => applyDeductions(book, await measures.deductedByAsset()));
    return route;
  });
  return {
    routes: wrapped,
    async withHolds(groups) {
      const keys = groups.flatMap((g) => g.accounts.map((a) => a.accountNumber)).filter((n) => frozen.has(n));
      if (keys.length === 0) return groups;
      await measures.settleDue();
      const held = new Map<string, number>();
      for (const m of await measures.measuresOf(keys)) {
        if (m.status === 'ACTIVE') held.set(m.assetKey, (held.get(m.assetKey) ?? 0) + (m.amountControlledFen ?? 0) - m.amountDeductedFen);
      }
      return groups.map((g) => ({
        ...g,
        accounts: g.accounts.map((a) => (held.get(a.accountNumber) ? { ...a, availableFen: Math.max(0, a.availableFen - held.get(a.accountNumber)!) } : a)),
      }));
    },
  };
}

/** Pays a deduction into the court's case account; throws (the transfer stays pending) unless the court confirms. */
async function payCourt(courtUrl: string, bankCode: string, deduction: Deduction): Promise<void> {
  const response = await fetch(new URL(RECEIPTS_PATH, courtUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ah: deduction.caseNumber, je: formatFen(deduction.amountFen), fkr: bankCode, lsh: `${bankCode}-${deduction.id}` }),
    signal: AbortSignal.timeout(TRANSFER_TIMEOUT_MS),
  });
  const body = (await response.json().catch(() => undefined)) as { errcode?: unknown; errmsg?: unknown } | undefined;
  if (!response.ok || body?.errcode !== 0) {
    throw new Error(`the court did not take deduction ${deduction.id} (HTTP ${response.status}): ${String(body?.errmsg ?? 'no answer')}`);
  }
}
