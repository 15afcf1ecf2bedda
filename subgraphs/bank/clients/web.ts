import { z } from 'zod';
import { newRequestNumber } from '../../shared/requestNumber';
import type { BankAccount, BankClient, HolderHoldings, WealthSource } from '../types';
import { chinaDateOfEpochMs, codeOf, currencyCode, fenString, text, unitsString } from '../wire';
import { bankHttp, checkBatch, checkEcho, holderOf, type PooledBankConnection } from './bankApi';

/** WEB's open API (internet bank): see mocks/bank/web.ts for the API. */
export const WEB_CODE = 'WEB';
/** holderIds or accountIds WEB takes in one request. */
export const WEB_MAX_BATCH = 50;
/** Path prefix of WEB's part of the network's control interface (freezes, deductions). */
export const WEB_CONTROL_PREFIX = '/openapi/v1/control';

const HOLDER_TYPE = { INDIVIDUAL: 'PERSON', ENTERPRISE: 'COMPANY' } as const;
const PRODUCT_TYPE = { CURRENT: 'DEMAND', FIXED: 'TIME', DEBIT_CARD: 'DEBIT_CARD', CORPORATE_SETTLEMENT: 'SETTLEMENT' } as const;
const STATE = { ACTIVE: 'NORMAL', DORMANT: 'DORMANT', CLOSED: 'CLOSED' } as const;

const answer = z.object({
  requestId: z.string(),
  holders: z.array(
    z.object({
      holderId: text,
      holderType: codeOf(HOLDER_TYPE),
      accounts: z.array(
        z.object({
          accountId: text,
          productType: codeOf(PRODUCT_TYPE),
          currency: currencyCode,
          balance: fenString,
          availableBalance: fenString,
          state: codeOf(STATE),
          branchId: text,
          openedAt: chinaDateOfEpochMs,
        }),
      ),
      funds: z.array(
        z.object({
          fundCode: text,
          fundName: text,
          shares: unitsString,
          marketValue: fenString,
          valuationTime: chinaDateOfEpochMs,
        }),
      ),
    }),
  ),
});

const errorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

type WebHolder = z.output<typeof answer>['holders'][number];

function holdingsOf(h: WebHolder): HolderHoldings {
  const holder = holderOf(h.holderType, h.holderId);
  return {
    accounts: h.accounts.map((a) => ({
      bankCode: WEB_CODE,
      accountNumber: a.accountId,
      holder,
      type: a.productType,
      currency: a.currency,
      balanceFen: a.balance,
      availableFen: a.availableBalance,
      status: a.state,
      branchCode: a.branchId,
      openedOn: a.openedAt,
    })),
    wealth: h.funds.map((f) => ({
      bankCode: WEB_CODE,
      productCode: f.fundCode,
      productName: f.fundName,
      unitsMilli: f.shares,
      marketValueFen: f.marketValue,
      valuedOn: f.valuationTime,
    })),
  };
}

export class WebClient implements BankClient {
  readonly bankCode = WEB_CODE;
  /** Fund holdings come in the same answer as the accounts. */
  readonly wealth: WealthSource = { from: 'HOLDINGS' };
  private readonly http;

  constructor(connection: PooledBankConnection) {
    this.http = bankHttp(WEB_CODE, connection, (body) => {
      const parsed = errorBody.safeParse(body);
      return parsed.success ? { code: parsed.data.error.code, message: parsed.data.error.message } : undefined;
    });
  }

  async holdings(holderKeys: readonly string[]): Promise<Map<string, HolderHoldings>> {
    const holders = await this.batchQuery('holderIds', holderKeys);
    return new Map(holders.map((h) => [h.holderId, holdingsOf(h)]));
  }

  async accountsByNumber(accountNumbers: readonly string[]): Promise<Map<string, BankAccount>> {
    const holders = await this.batchQuery('accountIds', accountNumbers);
    return new Map(holders.flatMap((h) => holdingsOf(h).accounts.map((a) => [a.accountNumber, a] as const)));
  }

  private async batchQuery(field: 'holderIds' | 'accountIds', keys: readonly string[]): Promise<WebHolder[]> {
    checkBatch(WEB_CODE, keys, WEB_MAX_BATCH);
    // A read: each attempt is a new inquiry with its own requestId (a bank refuses a repeated one).
    const answered = await this.http.post('/openapi/v1/holdings:batchQuery', () => ({ requestId: newRequestNumber(), [field]: keys }), answer, {
      idempotent: true,
      check: (got, sent) => checkEcho(WEB_CODE, sent.requestId, got.requestId),
    });
    return answered.holders;
  }
}
