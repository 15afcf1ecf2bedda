import { z } from 'zod';
import { newRequestNumber } from '../../shared/requestNumber';
import type { AccountHolder, BankAccount, BankClient, HolderHoldings, WealthHolding, WealthSource } from '../types';
import { codeOf, dateIn, fenNumber, text, unitsString } from '../wire';
import { bankHttp, checkBatch, checkEcho, holderOf, type PooledBankConnection } from './bankApi';

/** NCB "Open Inquiry v3" (large national bank): see mocks/bank/ncb.ts for the API. */
export const NCB_CODE = 'NCB';
/** idNos or acctNos NCB takes in one request. */
export const NCB_MAX_BATCH = 100;
/** Path prefix of NCB's part of the network's control interface (freezes, deductions). */
export const NCB_CONTROL_PREFIX = '/ncb/v3/control';

const ACCT_TYPE = { '01': 'DEMAND', '02': 'TIME', '03': 'DEBIT_CARD', '04': 'SETTLEMENT' } as const;
const ACCT_STATUS = { '0': 'NORMAL', '1': 'DORMANT', '9': 'CLOSED' } as const;
/** ISO 4217 numeric codes NCB may answer, into the alphabetic codes of the graph. */
const CCY = { '156': 'CNY', '840': 'USD', '978': 'EUR', '826': 'GBP', '392': 'JPY', '344': 'HKD' } as const;
const ID_TYPE = { '01': 'PERSON', '20': 'COMPANY' } as const;

const ncbDate = dateIn(/^(\d{4})-(\d{2})-(\d{2})$/, 'YYYY-MM-DD');

const accountRow = z.object({
  acctNo: text,
  acctType: codeOf(ACCT_TYPE),
  ccy: codeOf(CCY),
  balance: fenNumber,
  availBalance: fenNumber,
  acctStatus: codeOf(ACCT_STATUS),
  branchNo: text,
  openDate: ncbDate,
});

/** A customer the bank found has an identity type; one it did not find has none. */
const customer = z.union([
  z.object({ idNo: text, custFound: z.literal('Y'), idType: codeOf(ID_TYPE) }),
  z.object({ idNo: text, custFound: z.literal('N') }),
]);

function answerOf<T extends z.ZodType>(result: T) {
  return z.object({ retCode: z.literal('0000'), retMsg: z.string(), requestNo: z.string(), results: z.array(result) });
}

const accountsAnswer = answerOf(z.intersection(customer, z.object({ accounts: z.array(accountRow) })));

const wealthAnswer = answerOf(
  z.intersection(
    customer,
    z.object({
      holdings: z.array(
        z.object({ prodCode: text, prodName: text, shares: unitsString, marketValue: fenNumber, valueDate: ncbDate }),
      ),
    }),
  ),
);

const errorBody = z.object({ retCode: z.string(), retMsg: z.string() });

type NcbCustomer = z.output<typeof customer>;
type NcbAccount = z.output<typeof accountRow>;

function holderIn(c: NcbCustomer): AccountHolder | null {
  return c.custFound === 'Y' ? holderOf(c.idType, c.idNo) : null;
}

function account(holder: AccountHolder, row: NcbAccount): BankAccount {
  return {
    bankCode: NCB_CODE,
    accountNumber: row.acctNo,
    holder,
    type: row.acctType,
    currency: row.ccy,
    balanceFen: row.balance,
    availableFen: row.availBalance,
    status: row.acctStatus,
    branchCode: row.branchNo,
    openedOn: row.openDate,
  };
}

export class NcbClient implements BankClient {
  readonly bankCode = NCB_CODE;
  readonly wealth: WealthSource = { from: 'OWN_ENDPOINT', lookup: (keys) => this.wealthHoldings(keys) };
  private readonly http;

  constructor(connection: PooledBankConnection) {
    this.http = bankHttp(NCB_CODE, connection, (body) => {
      const parsed = errorBody.safeParse(body);
      return parsed.success ? { code: parsed.data.retCode, message: parsed.data.retMsg } : undefined;
    });
  }

  async holdings(holderKeys: readonly string[]): Promise<Map<string, HolderHoldings>> {
    const results = await this.inquire('/ncb/v3/inquiry/accounts', 'idNos', holderKeys, accountsAnswer);
    const found = new Map<string, HolderHoldings>();
    for (const result of results) {
      const holder = holderIn(result);
      if (holder) found.set(result.idNo, { accounts: result.accounts.map((row) => account(holder, row)), wealth: [] });
    }
    return found;
  }

  async accountsByNumber(accountNumbers: readonly string[]): Promise<Map<string, BankAccount>> {
    const results = await this.inquire('/ncb/v3/inquiry/accounts', 'acctNos', accountNumbers, accountsAnswer);
    const found = new Map<string, BankAccount>();
    for (const result of results) {
      const holder = holderIn(result);
      if (holder) for (const row of result.accounts) found.set(row.acctNo, account(holder, row));
    }
    return found;
  }

  async wealthHoldings(holderKeys: readonly string[]): Promise<Map<string, WealthHolding[]>> {
    const results = await this.inquire('/ncb/v3/inquiry/wealth', 'idNos', holderKeys, wealthAnswer);
    const found = new Map<string, WealthHolding[]>();
    for (const result of results) {
      if (result.custFound === 'N') continue;
      found.set(
        result.idNo,
        result.holdings.map((h) => ({
          bankCode: NCB_CODE,
          productCode: h.prodCode,
          productName: h.prodName,
          unitsMilli: h.shares,
          marketValueFen: h.marketValue,
          valuedOn: h.valueDate,
        })),
      );
    }
    return found;
  }

  private async inquire<R>(
    path: string,
    field: 'idNos' | 'acctNos',
    keys: readonly string[],
    schema: z.ZodType<{ requestNo: string; results: R[] }>,
  ): Promise<R[]> {
    checkBatch(NCB_CODE, keys, NCB_MAX_BATCH);
    // A read: each attempt is a new inquiry with its own requestNo (a bank refuses a repeated one).
    const answer = await this.http.post(path, () => ({ requestNo: newRequestNumber(), [field]: keys }), schema, {
      idempotent: true,
      check: (answered, sent) => checkEcho(NCB_CODE, sent.requestNo, answered.requestNo),
    });
    return answer.results;
  }
}
