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
import type { AgencyControlOptions } from '../shared/measures/controlDesk';
import type { Population } from '../population';
import { type AgencyRefusal, type Emulator, startEmulator } from '../shared/startEmulator';
import { FundCentreRefusal, fundCentreRoute } from './fundCentre';
import { insuredExchangeRoute } from './insuredExchange';

export interface SocialInsuranceEmulatorOptions {
  /** The insurer's measure book (income withholding); without it the exchange answers inquiries only. */
  control?: AgencyControlOptions;
  /** @default 0 (ephemeral) */
  port?: number;
  /** @default 0 */
  latencyMs?: number;
}

function renderError(refusal: AgencyRefusal, path: string): unknown {
  if (refusal instanceof FundCentreRefusal) return { retcode: refusal.retcode, retmsg: refusal.message };
  if (path.startsWith('/gjj/')) return { retcode: refusal.status >= 500 ? 9999 : 1001, retmsg: refusal.message };
  return { status: 'ERROR', reason: refusal.message };
}

export function startSocialInsuranceEmulator(population: Population, options: SocialInsuranceEmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({
    name: 'social-insurance',
    routes: [insuredExchangeRoute(population.socialInsurance), fundCentreRoute(population.socialInsurance)],
    renderError,
    latencyMs: options.latencyMs,
    port: options.port,
  });
}
