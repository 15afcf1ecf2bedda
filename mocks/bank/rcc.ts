/**
 * RCC (余杭农村信用合作联社), a rural credit cooperative: an old query front-end with field
 * names made of pinyin initials. Slow, small batches, answers in pages; query only (no
 * freeze or deduction online, no wealth-management products).
 *
 * POST /rcc/cx
 *   request  {qqdh (请求单号, new for every request): string, zjhm (证件号码): string[], page?: number}
 *        or  {qqdh, zh (账号): string[], page?}
 *   at most 5 zjhm / zh per request (HTTP 413, code 1013); page counts from 1 (default 1)
 *   200 {qqdh, page, pageCount, rows}: the answer rows of all holders asked, 10 rows a page;
 *       pageCount is at least 1; the asker requests page 2..pageCount itself, with new qqdh each.
 *   row {zjhm, zjlx (证件类型): "身份证" | "统一社会信用代码", zh, zhlx (账户类型): "活期" | "定期" |
 *        "借记卡" | "对公结算", bz (币种): "人民币" | "美元", ye (余额): yuan "12345.67",
 *        kyye (可用余额): yuan, zhzt (账户状态): "正常" | "久悬" | "销户", wdh (网点号),
 *        khrq (开户日期): YYYY/MM/DD}
 *   A page beyond pageCount is refused (HTTP 400, code 1004).
 * No control interface: RCC takes freezes and deductions on paper only, so it opens no measure
 * book even when started with one (`options.control` is ignored) and a court's subgraph
 * refuses such requests up front (CAPABILITY_UNAVAILABLE).
 * Errors: HTTP 4xx/5xx with {code, msg}.
 */
import { formatFen } from '../../schemas/identifiers';
import type { BankAccountRecord, Population } from '../population';
import { AgencyRefusal, type Emulator, startEmulator } from '../shared/startEmulator';
import { groupsByAccount, groupsByHolder, openBankBook } from './bankBook';
import type { BankEmulatorOptions } from './emulatorOptions';
import { type InquiryFields, readInquiry, RequestNumbers } from './inquiry';

export const RCC_DEFAULT_LATENCY_MS = 60;
export const RCC_ROWS_PER_PAGE = 10;

const FIELDS: InquiryFields = {
  requestNumber: 'qqdh',
  holders: 'zjhm',
  accounts: 'zh',
  maxBatch: 5,
  batchRefusalCode: '1013',
  badRequestCode: '1001',
};

const ZJLX = { PERSON: '身份证', COMPANY: '统一社会信用代码' } as const;
const ZHLX = { DEMAND: '活期', TIME: '定期', DEBIT_CARD: '借记卡', SETTLEMENT: '对公结算' } as const;
const BZ = { CNY: '人民币', USD: '美元' } as const;
const ZHZT = { NORMAL: '正常', DORMANT: '久悬', CLOSED: '销户' } as const;

function renderRow(key: string, a: BankAccountRecord) {
  return {
    zjhm: key,
    zjlx: ZJLX[a.holder.kind],
    zh: a.accountNumber,
    zhlx: ZHLX[a.type],
    bz: BZ[a.currency],
    ye: formatFen(a.balanceFen),
    kyye: formatFen(a.availableFen),
    zhzt: ZHZT[a.status],
    wdh: a.branchCode,
    khrq: a.openedOn.replaceAll('-', '/'),
  };
}

function readPage(body: unknown): number {
  const page = (body as { page?: unknown }).page ?? 1;
  if (typeof page !== 'number' || !Number.isInteger(page) || page < 1) {
    throw new AgencyRefusal(400, '1001', 'page must be a whole number from 1');
  }
  return page;
}

export function startRccEmulator(population: Population, options: BankEmulatorOptions = {}): Promise<Emulator> {
  const book = openBankBook(population, 'RCC');
  const seen = new RequestNumbers();
  return startEmulator({
    name: 'bank RCC',
    routes: [
      {
        method: 'POST',
        path: /^\/rcc\/cx$/,
        handle(req) {
          const inquiry = readInquiry(req.body, FIELDS, seen);
          const page = readPage(req.body);
          const groups = inquiry.by === 'HOLDER' ? groupsByHolder(book, inquiry.keys) : groupsByAccount(book, inquiry.keys);
          const rows = groups.flatMap((g) => g.accounts.map((a) => renderRow(g.key, a)));
          const pageCount = Math.max(1, Math.ceil(rows.length / RCC_ROWS_PER_PAGE));
          if (page > pageCount) throw new AgencyRefusal(400, '1004', `page ${page} is beyond the last page ${pageCount}`);
          const start = (page - 1) * RCC_ROWS_PER_PAGE;
          return {
            body: { qqdh: (req.body as { qqdh: string }).qqdh, page, pageCount, rows: rows.slice(start, start + RCC_ROWS_PER_PAGE) },
          };
        },
      },
    ],
    renderError: (refusal) => ({ code: refusal.agencyCode, msg: refusal.message }),
    latencyMs: options.latencyMs ?? RCC_DEFAULT_LATENCY_MS,
    port: options.port,
    host: options.host,
  });
}
