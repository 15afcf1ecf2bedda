import type { HousingFundRecord, SocialInsuranceRecord } from '../population';
import { batchKeys } from '../shared/batch';
import { AgencyRefusal, type Route } from '../shared/startEmulator';

/** The fund centre's documented limit of ID cards per query. */
export const FUND_MAX_BATCH = 50;

/** The fund centre's own numeric return codes (0 is success). */
export const FUND_RETCODE = { BAD_REQUEST: 1001, BATCH_TOO_LARGE: 1002 } as const;

/** A refusal of the fund centre, rendered in its own `{ retcode, retmsg }` shape. */
export class FundCentreRefusal extends AgencyRefusal {
  constructor(status: number, readonly retcode: number, message: string) {
    super(status, String(retcode), message);
  }
}

const STATUS_TEXT: Record<HousingFundRecord['status'], '正常' | '封存' | '销户'> = { NORMAL: '正常', SEALED: '封存', CLOSED: '销户' };

/** POST /gjj/api/account/query: fund accounts for a batch of ID cards; amounts in integer fen. */
export function fundCentreRoute(records: readonly SocialInsuranceRecord[]): Route {
  const byIdCard = new Map<string, HousingFundRecord>();
  for (const r of records) if (r.housingFund) byIdCard.set(r.idNumber, r.housingFund);
  return {
    method: 'POST',
    path: /^\/gjj\/api\/account\/query$/,
    handle: ({ body }) => {
      const requestNo = (body as { requestNo?: unknown } | undefined)?.requestNo;
      if (typeof requestNo !== 'string' || requestNo === '') {
        throw new FundCentreRefusal(400, FUND_RETCODE.BAD_REQUEST, 'requestNo is required');
      }
      let idCards: string[];
      try {
        idCards = batchKeys(body, 'idCards', FUND_MAX_BATCH);
      } catch (error) {
        if (!(error instanceof AgencyRefusal)) throw error;
        const retcode = error.status === 413 ? FUND_RETCODE.BATCH_TOO_LARGE : FUND_RETCODE.BAD_REQUEST;
        throw new FundCentreRefusal(error.status, retcode, error.message);
      }
      const list = [...new Set(idCards)].flatMap((idCard) => {
        const account = byIdCard.get(idCard);
        return account
          ? [{ idCard, grzh: account.accountNumber, zhye: account.balanceFen, yjce: account.monthlyDepositFen, zhzt: STATUS_TEXT[account.status] }]
          : [];
      });
      return { body: { retcode: 0, list } };
    },
  };
}
