/**
 * WEB (网商互联银行), an internet bank: a camelCase open API in the style of cloud APIs. Very
 * fast, medium batches; amounts are fen as digit strings (no floats in JSON), times are epoch
 * milliseconds; accounts and fund holdings come back together.
 *
 * POST /openapi/v1/holdings:batchQuery
 *   request  {requestId: string (new for every request), holderIds: string[]}   holdings of holders
 *        or  {requestId, accountIds: string[]}                                   accounts by number
 *   at most 50 ids per request (HTTP 413, error.code BATCH_SIZE_EXCEEDED)
 *   200 {requestId, holders: [{holderId, holderType: "INDIVIDUAL" | "ENTERPRISE",
 *          accounts: [{accountId, productType: "CURRENT" | "FIXED" | "DEBIT_CARD" | "CORPORATE_SETTLEMENT",
 *                      currency: ISO 4217 alpha, balance: fen "123456", availableBalance: fen "123456",
 *                      state: "ACTIVE" | "DORMANT" | "CLOSED", branchId,
 *                      openedAt: epoch ms of the opening day's midnight in China (UTC+8)}],
 *          funds: [{fundCode, fundName, shares: decimal string (no trailing zeros), marketValue: fen string,
 *                   valuationTime: epoch ms (15:00 China time of the valuation day)}]}]}
 *   Holders with nothing at the bank are left out; an accountIds inquiry answers only the
 *   accounts asked (funds empty).
 * Control (freeze, renewal, release, deduction) through the network's control interface under
 * /openapi/v1/control (mocks/shared/measures/controlDesk.ts, mocks/bank/control.ts) when
 * started with a measure book: FREEZE of DEPOSIT accounts by accountId; an unknown account is
 * refused (404 ASSET_NOT_FOUND), a closed one returned (回退); deductions are paid into the
 * court's case account and debit balance and availableBalance. The control interface answers
 * in the network's shape ({code, message, details}, amounts in fen as JSON numbers).
 * Errors: HTTP 4xx/5xx with {error: {code, message}}.
 */
import type { BankAccountRecord, Population, WealthHoldingRecord } from '../population';
import { type Emulator, startEmulator } from '../shared/startEmulator';
import { groupsByAccount, groupsByHolder, openBankBook } from './bankBook';
import { bankControl } from './control';
import type { BankEmulatorOptions } from './emulatorOptions';
import { type InquiryFields, readInquiry, RequestNumbers } from './inquiry';
import { chinaMidnightMs, formatMilli } from './units';

export const WEB_DEFAULT_LATENCY_MS = 3;
export const WEB_CONTROL_PREFIX = '/openapi/v1/control';

const FIELDS: InquiryFields = {
  requestNumber: 'requestId',
  holders: 'holderIds',
  accounts: 'accountIds',
  maxBatch: 50,
  batchRefusalCode: 'BATCH_SIZE_EXCEEDED',
  badRequestCode: 'INVALID_ARGUMENT',
};

const HOLDER_TYPE = { PERSON: 'INDIVIDUAL', COMPANY: 'ENTERPRISE' } as const;
const PRODUCT_TYPE = { DEMAND: 'CURRENT', TIME: 'FIXED', DEBIT_CARD: 'DEBIT_CARD', SETTLEMENT: 'CORPORATE_SETTLEMENT' } as const;
const STATE = { NORMAL: 'ACTIVE', DORMANT: 'DORMANT', CLOSED: 'CLOSED' } as const;
const FUND_CUT_OFF_MS = 15 * 3600 * 1000;

function renderAccount(a: BankAccountRecord) {
  return {
    accountId: a.accountNumber,
    productType: PRODUCT_TYPE[a.type],
    currency: a.currency,
    balance: String(a.balanceFen),
    availableBalance: String(a.availableFen),
    state: STATE[a.status],
    branchId: a.branchCode,
    openedAt: chinaMidnightMs(a.openedOn),
  };
}

function renderFund(w: WealthHoldingRecord) {
  return {
    fundCode: w.productCode,
    fundName: w.productName,
    shares: formatMilli(w.unitsMilli).replace(/\.?0+$/, ''),
    marketValue: String(w.marketValueFen),
    valuationTime: chinaMidnightMs(w.valuedOn) + FUND_CUT_OFF_MS,
  };
}

export async function startWebEmulator(population: Population, options: BankEmulatorOptions = {}): Promise<Emulator> {
  const book = openBankBook(population, 'WEB');
  const control = await bankControl(book, WEB_CONTROL_PREFIX, options);
  const seen = new RequestNumbers();
  return startEmulator({
    name: 'bank WEB',
    routes: [
      {
        method: 'POST',
        path: /^\/openapi\/v1\/holdings:batchQuery$/,
        async handle(req) {
          const inquiry = readInquiry(req.body, FIELDS, seen);
          const groups = await control.withHolds(inquiry.by === 'HOLDER' ? groupsByHolder(book, inquiry.keys) : groupsByAccount(book, inquiry.keys));
          const holders = groups.flatMap((g) => {
            if (!g.holder) return [];
            const funds = inquiry.by === 'HOLDER' ? (book.wealthByHolder.get(g.key) ?? []) : [];
            return [{ holderId: g.key, holderType: HOLDER_TYPE[g.holder.kind], accounts: g.accounts.map(renderAccount), funds: funds.map(renderFund) }];
          });
          return { body: { requestId: (req.body as { requestId: string }).requestId, holders } };
        },
      },
      ...control.routes,
    ],
    renderError: (refusal) => ({ error: { code: refusal.agencyCode, message: refusal.message } }),
    latencyMs: options.latencyMs ?? WEB_DEFAULT_LATENCY_MS,
    port: options.port,
    host: options.host,
  });
}
