/**
 * NCB (华夏国民银行), a large national bank: "NCB Open Inquiry v3". Answers in milliseconds and
 * takes large batches. Amounts are integer fen, dates YYYY-MM-DD, codes are the bank's own.
 *
 * POST /ncb/v3/inquiry/accounts
 *   request  {requestNo: string (new for every request), idNos: string[]}   accounts of holders
 *        or  {requestNo, acctNos: string[]}                                  accounts by number
 *   at most 100 idNos / acctNos per request (HTTP 413, retCode E1003)
 *   200 {retCode: "0000", retMsg, requestNo, results: [{
 *          idNo, custFound: "Y" | "N", idType?: "01" (resident ID) | "20" (credit code),
 *          accounts: [{acctNo, acctType: "01" demand | "02" time | "03" debit card | "04" settlement,
 *                      ccy: ISO 4217 numeric ("156" CNY, "840" USD), balance: fen, availBalance: fen,
 *                      acctStatus: "0" normal | "1" dormant | "9" closed, branchNo, openDate: YYYY-MM-DD}]}]}
 *   An idNos inquiry answers every idNo asked (custFound "N", no accounts, for a stranger);
 *   an acctNos inquiry answers the holders of the accounts found.
 * POST /ncb/v3/inquiry/wealth   {requestNo, idNos} (at most 100)
 *   200 {retCode: "0000", retMsg, requestNo, results: [{idNo, custFound, idType?, holdings: [{
 *          prodCode, prodName, shares: decimal string with 3 decimals, marketValue: fen, valueDate: YYYY-MM-DD}]}]}
 * Control (freeze, renewal, release, deduction) through the network's control interface under
 * /ncb/v3/control (mocks/shared/measures/controlDesk.ts, mocks/bank/control.ts) when started
 * with a measure book: FREEZE of DEPOSIT accounts by acctNo; an account the bank does not
 * keep is refused (404 ASSET_NOT_FOUND), a closed one returned (回退); deductions are paid
 * into the court's case account and debit balance and availBalance. The control interface
 * answers in the network's shape ({code, message, details}, amounts in fen), not NCB's.
 * Errors: HTTP 4xx/5xx with {retCode, retMsg}.
 */
import type { PartyRef, Population } from '../population';
import { type Emulator, type Route, startEmulator } from '../shared/startEmulator';
import { type AccountGroup, groupsByAccount, groupsByHolder, openBankBook } from './bankBook';
import { bankControl } from './control';
import type { BankEmulatorOptions } from './emulatorOptions';
import { type InquiryFields, readInquiry, RequestNumbers } from './inquiry';
import { formatMilli } from './units';

export const NCB_DEFAULT_LATENCY_MS = 5;
export const NCB_CONTROL_PREFIX = '/ncb/v3/control';

const FIELDS: InquiryFields = {
  requestNumber: 'requestNo',
  holders: 'idNos',
  accounts: 'acctNos',
  maxBatch: 100,
  batchRefusalCode: 'E1003',
  badRequestCode: 'E1001',
};

const ACCT_TYPE = { DEMAND: '01', TIME: '02', DEBIT_CARD: '03', SETTLEMENT: '04' } as const;
const CCY = { CNY: '156', USD: '840' } as const;
const ACCT_STATUS = { NORMAL: '0', DORMANT: '1', CLOSED: '9' } as const;
const ID_TYPE = { PERSON: '01', COMPANY: '20' } as const;

function customer(key: string, holder: PartyRef | null) {
  return holder ? { idNo: key, custFound: 'Y', idType: ID_TYPE[holder.kind] } : { idNo: key, custFound: 'N' };
}

function renderGroup(group: AccountGroup) {
  return {
    ...customer(group.key, group.holder),
    accounts: group.accounts.map((a) => ({
      acctNo: a.accountNumber,
      acctType: ACCT_TYPE[a.type],
      ccy: CCY[a.currency],
      balance: a.balanceFen,
      availBalance: a.availableFen,
      acctStatus: ACCT_STATUS[a.status],
      branchNo: a.branchCode,
      openDate: a.openedOn,
    })),
  };
}

export async function startNcbEmulator(population: Population, options: BankEmulatorOptions = {}): Promise<Emulator> {
  const book = openBankBook(population, 'NCB');
  const control = await bankControl(book, NCB_CONTROL_PREFIX, options);
  const seen = new RequestNumbers();
  const ok = (requestNo: unknown, results: unknown[]) => ({ body: { retCode: '0000', retMsg: 'success', requestNo, results } });

  const routes: Route[] = [
    {
      method: 'POST',
      path: /^\/ncb\/v3\/inquiry\/accounts$/,
      async handle(req) {
        const inquiry = readInquiry(req.body, FIELDS, seen);
        const groups = await control.withHolds(inquiry.by === 'HOLDER' ? groupsByHolder(book, inquiry.keys) : groupsByAccount(book, inquiry.keys));
        return ok((req.body as { requestNo: string }).requestNo, groups.map(renderGroup));
      },
    },
    {
      method: 'POST',
      path: /^\/ncb\/v3\/inquiry\/wealth$/,
      handle(req) {
        const inquiry = readInquiry(req.body, { ...FIELDS, accounts: undefined }, seen);
        return ok(
          (req.body as { requestNo: string }).requestNo,
          inquiry.keys.map((key) => ({
            ...customer(key, book.holders.get(key) ?? null),
            holdings: (book.wealthByHolder.get(key) ?? []).map((w) => ({
              prodCode: w.productCode,
              prodName: w.productName,
              shares: formatMilli(w.unitsMilli),
              marketValue: w.marketValueFen,
              valueDate: w.valuedOn,
            })),
          })),
        );
      },
    },
    ...control.routes,
  ];

  return startEmulator({
    name: 'bank NCB',
    routes,
    renderError: (refusal) => ({ retCode: refusal.agencyCode, retMsg: refusal.message }),
    latencyMs: options.latencyMs ?? NCB_DEFAULT_LATENCY_MS,
    port: options.port,
    host: options.host,
  });
}
