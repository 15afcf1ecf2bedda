/**
 * HZCB (杭州城市商业银行), a city commercial bank: a snake_case JSON gateway in front of its
 * core system. Medium batches; amounts are yuan as decimal strings, dates YYYYMMDD.
 *
 * POST /api/query
 *   request  {req_id: string (new for every request), cust_id_list: string[]}    accounts of holders
 *        or  {req_id, account_no_list: string[]}                                 accounts by number
 *   at most 20 ids per request (HTTP 413, error_code BATCH_LIMIT_EXCEEDED)
 *   200 {req_id, total: number of customers in data, data: [{
 *          cust_id, cust_type: "individual" | "corporate",
 *          account_list: [{account_no, account_type: "demand" | "time" | "debit_card" | "settlement",
 *                          currency: ISO 4217 alpha, balance: "12345.67", available_balance: "12345.67",
 *                          account_status: "normal" | "dormant" | "closed", branch_code, open_date: YYYYMMDD}]}]}
 *   Customers the bank does not know are left out of data (no entry, not an empty one).
 * No wealth-management endpoint.
 * Control (freeze, renewal, release, deduction) through the network's control interface under
 * /api/control (mocks/shared/measures/controlDesk.ts, mocks/bank/control.ts) when started with
 * a measure book: FREEZE of DEPOSIT accounts by account_no; an unknown account is refused
 * (404 ASSET_NOT_FOUND), a closed one returned (回退); deductions are paid into the court's
 * case account and debit balance and available_balance. The control interface answers in the
 * network's shape ({code, message, details}, amounts in fen), not in HZCB's own dialect.
 * Errors: HTTP 4xx/5xx with {error_code, error_message}.
 */
import { formatFen } from '../../schemas/identifiers';
import type { Population } from '../population';
import { type Emulator, startEmulator } from '../shared/startEmulator';
import { type AccountGroup, groupsByAccount, groupsByHolder, openBankBook } from './bankBook';
import { bankControl } from './control';
import type { BankEmulatorOptions } from './emulatorOptions';
import { type InquiryFields, readInquiry, RequestNumbers } from './inquiry';

export const HZCB_DEFAULT_LATENCY_MS = 15;
export const HZCB_CONTROL_PREFIX = '/api/control';

const FIELDS: InquiryFields = {
  requestNumber: 'req_id',
  holders: 'cust_id_list',
  accounts: 'account_no_list',
  maxBatch: 20,
  batchRefusalCode: 'BATCH_LIMIT_EXCEEDED',
  badRequestCode: 'INVALID_PARAM',
};

const CUST_TYPE = { PERSON: 'individual', COMPANY: 'corporate' } as const;

function renderGroup(group: AccountGroup, kind: 'PERSON' | 'COMPANY') {
  return {
    cust_id: group.key,
    cust_type: CUST_TYPE[kind],
    account_list: group.accounts.map((a) => ({
      account_no: a.accountNumber,
      account_type: a.type.toLowerCase(),
      currency: a.currency,
      balance: formatFen(a.balanceFen),
      available_balance: formatFen(a.availableFen),
      account_status: a.status.toLowerCase(),
      branch_code: a.branchCode,
      open_date: a.openedOn.replaceAll('-', ''),
    })),
  };
}

export async function startHzcbEmulator(population: Population, options: BankEmulatorOptions = {}): Promise<Emulator> {
  const book = openBankBook(population, 'HZCB');
  const control = await bankControl(book, HZCB_CONTROL_PREFIX, options);
  const seen = new RequestNumbers();
  return startEmulator({
    name: 'bank HZCB',
    routes: [
      {
        method: 'POST',
        path: /^\/api\/query$/,
        async handle(req) {
          const inquiry = readInquiry(req.body, FIELDS, seen);
          const groups = await control.withHolds(inquiry.by === 'HOLDER' ? groupsByHolder(book, inquiry.keys) : groupsByAccount(book, inquiry.keys));
          const data = groups.flatMap((g) => (g.holder && g.accounts.length > 0 ? [renderGroup(g, g.holder.kind)] : []));
          return { body: { req_id: (req.body as { req_id: string }).req_id, total: data.length, data } };
        },
      },
      ...control.routes,
    ],
    renderError: (refusal) => ({ error_code: refusal.agencyCode, error_message: refusal.message }),
    latencyMs: options.latencyMs ?? HZCB_DEFAULT_LATENCY_MS,
    port: options.port,
    host: options.host,
  });
}
