import { formatFen } from '../../schemas/identifiers';
import { controlRoutes, flushTransfers } from '../shared/measures/controlDesk';
import { MeasureBook } from '../shared/measures/measureBook';
import type { Assessment, Deduction, Measure } from '../shared/measures/measureTypes';
import { AgencyRefusal, type Route } from '../shared/startEmulator';
import { applyDeductions, type BankBook } from './bankBook';
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
export async function bankControlRoutes(book: BankBook, prefix: string, options: BankEmulatorOptions): Promise<Route[]> {
  const control = options.control;
  if (!control) return [];
  const assess = (measure: Measure): Assessment => {
    const account = book.accountByNumber.get(measure.assetKey);
    if (!account) return { returned: '账户不存在 (no such account)' };
    if (account.status === 'CLOSED') return { returned: '账户已销户 (account closed)' };
    // Deductions are already debited from the bank's copy of the account.
    return { controllableFen: Math.max(0, account.availableFen) };
  };
  const measures = await MeasureBook.open(control.database, {
    table: control.table,
    clock: control.clock ?? (() => new Date()),
    answerDelayMs: control.answerDelayMs,
    assess,
  });
  applyDeductions(book, await measures.deductedByAsset());

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
  return routes.map((route) =>
    route.path.test(`${prefix}/deduct`)
      ? {
          ...route,
          async handle(req) {
            const answer = await route.handle(req);
            applyDeductions(book, await measures.deductedByAsset());
            return answer;
          },
        }
      : route,
  );
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
