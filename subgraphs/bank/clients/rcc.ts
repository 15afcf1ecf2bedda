import { z } from 'zod';
import { groupBy } from '../../shared/batchLoader';
import { newRequestNumber } from '../../shared/requestNumber';
import type { BankAccount, BankClient, HolderHoldings, WealthSource } from '../types';
import { codeOf, dateIn, text, yuanString } from '../wire';
import { badResponse, bankHttp, checkBatch, checkEcho, holderKey, holderOf, type PooledBankConnection } from './bankApi';

/** RCC's pinyin-initial query front-end (rural credit cooperative): see mocks/bank/rcc.ts for the API. */
export const RCC_CODE = 'RCC';
/** zjhm or zh entries RCC takes in one request. */
export const RCC_MAX_BATCH = 5;
/**
 * Pages the client follows for one batch before it calls the answer broken: five holders
 * with a thousand accounts between them is not a real answer but a loop.
 */
export const RCC_MAX_PAGES = 100;

const ZJLX = { 身份证: 'PERSON', 统一社会信用代码: 'COMPANY' } as const;
const ZHLX = { 活期: 'DEMAND', 定期: 'TIME', 借记卡: 'DEBIT_CARD', 对公结算: 'SETTLEMENT' } as const;
const BZ = { 人民币: 'CNY', 美元: 'USD', 欧元: 'EUR', 港币: 'HKD', 日元: 'JPY', 英镑: 'GBP' } as const;
const ZHZT = { 正常: 'NORMAL', 久悬: 'DORMANT', 销户: 'CLOSED' } as const;

const row = z.object({
  zjhm: text,
  zjlx: codeOf(ZJLX),
  zh: text,
  zhlx: codeOf(ZHLX),
  bz: codeOf(BZ),
  ye: yuanString,
  kyye: yuanString,
  zhzt: codeOf(ZHZT),
  wdh: text,
  khrq: dateIn(/^(\d{4})\/(\d{2})\/(\d{2})$/, 'YYYY/MM/DD'),
});

const page = z.object({ qqdh: z.string(), page: z.int().min(1), pageCount: z.int().min(1), rows: z.array(row) });

const errorBody = z.object({ code: z.string(), msg: z.string() });

export class RccClient implements BankClient {
  readonly bankCode = RCC_CODE;
  readonly wealth: WealthSource = { from: 'NONE' };
  private readonly http;

  constructor(connection: PooledBankConnection) {
    this.http = bankHttp(RCC_CODE, connection, (body) => {
      const parsed = errorBody.safeParse(body);
      return parsed.success ? { code: parsed.data.code, message: parsed.data.msg } : undefined;
    });
  }

  async holdings(holderKeys: readonly string[]): Promise<Map<string, HolderHoldings>> {
    const byHolder = groupBy(await this.query('zjhm', holderKeys), (a) => holderKey(a.holder));
    return new Map([...byHolder].map(([key, accounts]) => [key, { accounts, wealth: [] }]));
  }

  async accountsByNumber(accountNumbers: readonly string[]): Promise<Map<string, BankAccount>> {
    const accounts = await this.query('zh', accountNumbers);
    return new Map(accounts.map((a) => [a.accountNumber, a]));
  }

  /**
   * Follows every page of one inquiry, one after the other: the cooperative's system is
   * small, and the loaders already send it several batches at once.
   */
  private async query(field: 'zjhm' | 'zh', keys: readonly string[]): Promise<BankAccount[]> {
    checkBatch(RCC_CODE, keys, RCC_MAX_BATCH);
    // Keyed by account number: an account that moves across a page boundary between two calls is counted once.
    const accounts = new Map<string, BankAccount>();
    let pageCount = 1;
    for (let wanted = 1; wanted <= pageCount; wanted++) {
      // A read: each attempt of a page is a new inquiry with its own qqdh (a bank refuses a repeated one).
      const answer = await this.http.post('/rcc/cx', () => ({ qqdh: newRequestNumber(), [field]: keys, page: wanted }), page, {
        idempotent: true,
        check: (answered, sent) => {
          checkEcho(RCC_CODE, sent.qqdh, answered.qqdh);
          if (answered.page !== wanted) {
            throw badResponse(RCC_CODE, `The bank RCC answered page ${answered.page} when asked for page ${wanted}.`);
          }
        },
      });
      if (wanted === 1) pageCount = answer.pageCount;
      else if (answer.pageCount !== pageCount) {
        throw badResponse(RCC_CODE, `The bank RCC changed its page count from ${pageCount} to ${answer.pageCount} during one inquiry.`);
      }
      if (pageCount > RCC_MAX_PAGES) {
        throw badResponse(RCC_CODE, `The bank RCC announced ${pageCount} pages for ${keys.length} keys, more than any real answer.`);
      }
      for (const r of answer.rows) {
        accounts.set(r.zh, {
          bankCode: RCC_CODE,
          accountNumber: r.zh,
          holder: holderOf(r.zjlx, r.zjhm),
          type: r.zhlx,
          currency: r.bz,
          balanceFen: r.ye,
          availableFen: r.kyye,
          status: r.zhzt,
          branchCode: r.wdh,
          openedOn: r.khrq,
        });
      }
    }
    return [...accounts.values()];
  }
}
