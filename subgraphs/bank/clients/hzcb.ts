import { z } from 'zod';
import { groupBy } from '../../shared/batchLoader';
import { newRequestNumber } from '../../shared/requestNumber';
import type { BankAccount, BankClient, HolderHoldings, WealthSource } from '../types';
import { codeOf, currencyCode, dateIn, text, yuanString } from '../wire';
import { bankHttp, checkBatch, checkEcho, holderKey, holderOf, type PooledBankConnection } from './bankApi';

/** HZCB's snake_case query gateway (city commercial bank): see mocks/bank/hzcb.ts for the API. */
export const HZCB_CODE = 'HZCB';
/** cust_id_list or account_no_list entries HZCB takes in one request. */
export const HZCB_MAX_BATCH = 20;
/** Path prefix of HZCB's part of the network's control interface (freezes, deductions). */
export const HZCB_CONTROL_PREFIX = '/api/control';

const ACCOUNT_TYPE = { demand: 'DEMAND', time: 'TIME', debit_card: 'DEBIT_CARD', settlement: 'SETTLEMENT' } as const;
const ACCOUNT_STATUS = { normal: 'NORMAL', dormant: 'DORMANT', closed: 'CLOSED' } as const;
const CUST_TYPE = { individual: 'PERSON', corporate: 'COMPANY' } as const;

const answer = z.object({
  req_id: z.string(),
  total: z.int().min(0),
  data: z.array(
    z.object({
      cust_id: text,
      cust_type: codeOf(CUST_TYPE),
      account_list: z.array(
        z.object({
          account_no: text,
          account_type: codeOf(ACCOUNT_TYPE),
          currency: currencyCode,
          balance: yuanString,
          available_balance: yuanString,
          account_status: codeOf(ACCOUNT_STATUS),
          branch_code: text,
          open_date: dateIn(/^(\d{4})(\d{2})(\d{2})$/, 'YYYYMMDD'),
        }),
      ),
    }),
  ),
});

const errorBody = z.object({ error_code: z.string(), error_message: z.string() });

export class HzcbClient implements BankClient {
  readonly bankCode = HZCB_CODE;
  readonly wealth: WealthSource = { from: 'NONE' };
  private readonly http;

  constructor(connection: PooledBankConnection) {
    this.http = bankHttp(HZCB_CODE, connection, (body) => {
      const parsed = errorBody.safeParse(body);
      return parsed.success ? { code: parsed.data.error_code, message: parsed.data.error_message } : undefined;
    });
  }

  async holdings(holderKeys: readonly string[]): Promise<Map<string, HolderHoldings>> {
    const accounts = await this.query('cust_id_list', holderKeys);
    const byHolder = groupBy(accounts, (a) => holderKey(a.holder));
    return new Map([...byHolder].map(([key, list]) => [key, { accounts: list, wealth: [] }]));
  }

  async accountsByNumber(accountNumbers: readonly string[]): Promise<Map<string, BankAccount>> {
    const accounts = await this.query('account_no_list', accountNumbers);
    return new Map(accounts.map((a) => [a.accountNumber, a]));
  }

  private async query(field: 'cust_id_list' | 'account_no_list', keys: readonly string[]): Promise<BankAccount[]> {
    checkBatch(HZCB_CODE, keys, HZCB_MAX_BATCH);
    // A read: each attempt is a new inquiry with its own req_id (a bank refuses a repeated one).
    const { data } = await this.http.post('/api/query', () => ({ req_id: newRequestNumber(), [field]: keys }), answer, {
      idempotent: true,
      check: (answered, sent) => checkEcho(HZCB_CODE, sent.req_id, answered.req_id),
    });
    return data.flatMap((customer) => {
      const holder = holderOf(customer.cust_type, customer.cust_id);
      return customer.account_list.map((row) => ({
        bankCode: HZCB_CODE,
        accountNumber: row.account_no,
        holder,
        type: row.account_type,
        currency: row.currency,
        balanceFen: row.balance,
        availableFen: row.available_balance,
        status: row.account_status,
        branchCode: row.branch_code,
        openedOn: row.open_date,
      }));
    });
  }
}
