import { formatFen } from '../../schemas/identifiers';
import type { SocialInsuranceRecord } from '../population';
import { batchKeys, indexBy } from '../shared/batch';
import { AgencyRefusal, type Route } from '../shared/startEmulator';

/** The bureau's documented limit of ID numbers per exchange request. */
export const INSURED_MAX_BATCH = 30;

const STATUS_CODE: Record<SocialInsuranceRecord['status'], '1' | '2' | '3'> = { INSURED: '1', SUSPENDED: '2', RETIRED: '3' };

/** One record as the bureau's exchange writes it: pinyin-initial field names, yuan strings, compact dates. */
function toExchangeRecord(r: SocialInsuranceRecord) {
  return {
    sfzhm: r.idNumber,
    cbzt: STATUS_CODE[r.status],
    dwbh: r.employerCreditCode,
    jfjs: formatFen(r.contributionBaseFen),
    cbrq: r.insuredSince.replace(/-/g, ''),
    yljj: formatFen(r.monthlyPensionFen),
    ffjl: r.pensionPayments.map((p) => ({ ny: p.month.replace('-', ''), je: formatFen(p.amountFen) })),
  };
}

/** POST /si/exchange/insured: insured records for a batch of ID numbers. */
export function insuredExchangeRoute(records: readonly SocialInsuranceRecord[]): Route {
  const byIdNumber = indexBy(records, (r) => [r.idNumber]);
  return {
    method: 'POST',
    path: /^\/si\/exchange\/insured$/,
    handle: ({ body }) => {
      const jbh = (body as { jbh?: unknown } | undefined)?.jbh;
      if (typeof jbh !== 'string' || jbh === '') throw new AgencyRefusal(400, 'NO_REQUEST_NUMBER', 'jbh (request number) is required');
      const ids = new Set(batchKeys(body, 'sfzhm', INSURED_MAX_BATCH));
      const found = [...ids].flatMap((id) => byIdNumber.get(id) ?? []);
      return { body: { status: 'OK', records: found.map(toExchangeRecord) } };
    },
  };
}
