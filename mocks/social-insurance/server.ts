/**
 * Emulator of two legacy systems a court reaches through the social insurance subgraph,
 * served on one port under separate path prefixes (in production they are separate hosts).
 *
 * 1. Human resources and social security bureau, data exchange
 *    POST /si/exchange/insured
 *      request  { jbh: string (request number, required), sfzhm: string[] (ID numbers, 1..30) }
 *      answer   { status: "OK", records: [{
 *                   sfzhm  ID number
 *                   cbzt   insured status: "1" 参保缴费 paying, "2" 暂停缴费 suspended, "3" 退休领取待遇 retired
 *                   dwbh   employer's unified social credit code, or null
 *                   jfjs   contribution base, yuan decimal string "8500.00"
 *                   cbrq   insured since, "YYYYMMDD"
 *                   yljj   monthly pension, yuan decimal string ("0.00" unless retired)
 *                   ffjl   pension payments [{ ny: "YYYYMM", je: yuan decimal string }]
 *               }] }
 *      A person the bureau does not know is simply absent from records.
 *      errors   { status: "ERROR", reason: string } with HTTP 400 (bad request),
 *               413 (more than 30 ID numbers), 500 (system failure).
 *    POST /si/exchange/withholdable
 *      request  { jbh: string (required), sfzhm: string[] (1..30) }
 *      answer   { status: "OK", records: [{
 *                   sfzhm  ID number
 *                   srlx   income a court may withhold from: "GZ" wages (the contribution base,
 *                          cbzt "1"), "YLJ" pension (cbzt "3")
 *                   ysr    that income each month, yuan decimal string
 *                   dbbz   the local subsistence minimum (最低生活保障标准) each month where the
 *                          person lives, yuan decimal string (synthetic figures, withholding.ts)
 *               }] }
 *      A person the bureau does not know, or pays nothing (cbzt "2"), is absent.
 *      errors   as for /si/exchange/insured.
 *    Control (income withholding 扣留/提取收入, renewal, release) through the network's control
 *    interface under /si/exchange/kz (mocks/shared/measures/controlDesk.ts): WITHHOLD of INCOME,
 *    asset key the ID number, amountFen the amount withheld each month. Only one withholding
 *    takes effect at a time; another court's waits (轮候) and takes effect when it ends. The
 *    bureau refuses before serving: an unknown person (404 ASSET_NOT_FOUND), a person it pays
 *    nothing (422 NO_INCOME), and an amount that would leave less than the subsistence minimum
 *    a month (422 EXCEEDS_LIVING_ALLOWANCE, details { limitFen, monthlyIncomeFen,
 *    subsistenceMinimumFen }), each amount on its own since only one is withheld at a time.
 *
 * 2. Housing provident fund centre
 *    POST /gjj/api/account/query
 *      request  { requestNo: string (required), idCards: string[] (1..50) }
 *      answer   { retcode: 0, list: [{
 *                   idCard  ID number
 *                   grzh    personal account number
 *                   zhye    balance, integer fen
 *                   yjce    monthly deposit, integer fen
 *                   zhzt    account status: "正常" normal, "封存" sealed, "销户" closed
 *               }] }
 *      A person without an account is simply absent from list.
 *      errors   { retcode: non-zero, retmsg: string }: 1001 bad request (HTTP 400),
 *               1002 more than 50 ID cards (HTTP 413).
 *
 * Faults injected by the shared emulator are rendered in the shape of the system asked
 * (fund-centre paths under /gjj/, retcode 9999 for a system failure).
 */
import { type AgencyControlOptions, controlRoutes, openMeasureBook } from '../shared/measures/controlDesk';
import type { Population } from '../population';
import { type AgencyRefusal, type Emulator, startEmulator } from '../shared/startEmulator';
import { FundCentreRefusal, fundCentreRoute } from './fundCentre';
import { insuredExchangeRoute } from './insuredExchange';
import { IncomeRegister, withholdableRoute } from './withholding';

/** Where the bureau serves the network's control interface. */
export const SOCIAL_INSURANCE_CONTROL_PREFIX = '/si/exchange/kz';

export interface SocialInsuranceEmulatorOptions {
  /** The insurer's measure book (income withholding); without it the exchange answers inquiries only. */
  control?: AgencyControlOptions;
  /** @default 0 (ephemeral) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** @default 0 */
  latencyMs?: number;
}

function renderError(refusal: AgencyRefusal, path: string): unknown {
  if (refusal instanceof FundCentreRefusal) return { retcode: refusal.retcode, retmsg: refusal.message };
  if (path.startsWith('/gjj/')) return { retcode: refusal.status >= 500 ? 9999 : 1001, retmsg: refusal.message };
  return { status: 'ERROR', reason: refusal.message };
}

export async function startSocialInsuranceEmulator(population: Population, options: SocialInsuranceEmulatorOptions = {}): Promise<Emulator> {
  const register = new IncomeRegister(population);
  const book =
    options.control &&
    (await openMeasureBook(options.control));
  return startEmulator({
    name: 'social-insurance',
    routes: [
      insuredExchangeRoute(population.socialInsurance),
      withholdableRoute(register),
      fundCentreRoute(population.socialInsurance),
      ...(book
        ? controlRoutes({
            prefix: SOCIAL_INSURANCE_CONTROL_PREFIX,
            book,
            takes: [['INCOME', 'WITHHOLD']],
            admit: (request) => register.admit(request),
          })
        : []),
    ],
    renderError,
    latencyMs: options.latencyMs,
    port: options.port,
    host: options.host,
  });
}
