/**
 * Emulator of the commerce registry: the market regulation enterprise credit information
 * system (市场监管企业信用信息), its court-facing REST/JSON API v2.
 *
 * Endpoints (POST, JSON body; every body carries the caller's `requestId`, a non-empty string):
 *   /api/v2/enterprises/batch  {requestId, uniscids: [unified social credit code, ...]}
 *       -> one enterprise per known code, with its investors (shareholders).
 *   /api/v2/investors/batch    {requestId, cernos: [ID number or credit code, ...]}
 *       -> every shareholding each holder holds, one row per stake (an investment row, below).
 *   /api/v2/lerep/batch        {requestId, cernos: [ID number, ...]}
 *       -> one row per enterprise whose legal representative the person is:
 *          {lerep_cerno, uniscid, entname, regstate}.
 *   At most 20 keys per request (COMMERCE_API_MAX_BATCH); unknown keys simply yield no rows.
 *
 * Answer: HTTP 200 {success: true, data: [row, ...]}. An enterprise row:
 *   uniscid      unified social credit code        entname   registered name
 *   regstate     存续 (in business) | 吊销 (licence revoked) | 注销 (deregistered) | 清算 (in liquidation)
 *   regcap       registered capital in 万元 (10,000 yuan), a decimal string with 6 decimals, e.g. "500.000000"
 *   regcapcur    currency of regcap, "人民币"
 *   lerep_cerno  legal representative's resident ID number (the name, lerep_name, is not given out)
 *   estdate      date of establishment, "YYYY-MM-DD"
 *   dom          registered address                 opscope   business scope
 *   investors    [{inv_type: 自然人股东 (natural person) | 企业法人 (company),
 *                  inv_cerno: the investor's ID number or credit code,
 *                  subconam: subscribed capital, 万元 string; acconam: paid-in capital, 万元 string,
 *                  condate: date of subscription "YYYY-MM-DD", invid: the registry's investor id}]
 * An investment row (/investors/batch): the enterprise the stake is in, as in an enterprise row:
 *   uniscid, entname, regcap (万元, 6 decimals), regcapcur ("人民币")
 * followed by the investor fields: inv_type, inv_cerno, subconam, acconam, condate, invid.
 * The enterprise's name and registered capital come with every row, as enterprise credit
 * systems list a holder's investments, so a stake's share of the capital needs no further
 * enterprise lookup.
 *
 * Errors: HTTP 4xx (refusal: bad request, no requestId, more than 20 keys -> 413) or 5xx
 * (system failure) with the body {success: false, errorCode, errorMsg}.
 *
 * Control (equity freeze 股权冻结, renewal 续冻, release 解冻) through the network's control
 * interface under /api/v2/kz (mocks/shared/measures/controlDesk.ts): FREEZE of EQUITY, the asset
 * key being one holder's stake in one company, written `<uniscid>:<invid>` (the company's credit
 * code and the registry's investor id). A stake the registry does not hold is refused (404
 * ASSET_NOT_FOUND); a freeze of a stake in a deregistered (注销) company is returned (回退), as
 * that company and its equity no longer exist. A company whose licence was revoked (吊销) or
 * that is in liquidation still exists, and its equity can be frozen. Freezes are published on
 * the company's record: every court sees them through /measures by the company's stakes.
 */
import type { Assessment, Measure } from '../shared/measures/measureTypes';
import { type AgencyControlOptions, controlRoutes, openMeasureBook } from '../shared/measures/controlDesk';
import type { Population } from '../population';
import { batchKeys, indexBy } from '../shared/batch';
import { partyKey } from '../shared/partyKey';
import { AgencyRefusal, type Emulator, type EmulatorRequest, startEmulator } from '../shared/startEmulator';
import { enterpriseWire, investmentWire, legalRepresentativeWire } from './wire';

/** Keys per request the registry accepts, on every endpoint. */
export const COMMERCE_API_MAX_BATCH = 20;

export interface CommerceEmulatorOptions {
  /** The registry's measure book (equity freezes); without it the registry answers inquiries only. */
  control?: AgencyControlOptions;
  /** @default 0 (ephemeral) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** @default 0 */
  latencyMs?: number;
}

/** Reads the batch of keys after checking the request id every call must carry. */
function keysOf(req: EmulatorRequest, field: string): string[] {
  const requestId = (req.body as Record<string, unknown> | undefined)?.requestId;
  if (typeof requestId !== 'string' || requestId === '') {
    throw new AgencyRefusal(400, 'MISSING_REQUEST_ID', 'requestId is required');
  }
  // A key asked twice is answered once, as the registry's own query does.
  return [...new Set(batchKeys(req.body, field, COMMERCE_API_MAX_BATCH, 'BATCH_LIMIT_EXCEEDED'))];
}

export const COMMERCE_CONTROL_PREFIX = '/api/v2/kz';

/** Why the registry returns (回退) a freeze of a stake in a company that no longer exists. */
export const DEREGISTERED_RETURN_REASON = '公司已注销 (company deregistered)';

/** The control interface's key of a stake: company credit code and investor id (as the subgraph's Shareholding id). */
export function stakeKey(companyCreditCode: string, invid: string): string {
  return `${companyCreditCode}:${invid}`;
}

export async function startCommerceEmulator(population: Population, options: CommerceEmulatorOptions = {}): Promise<Emulator> {
  // Indexes built once: every batch is then one map read per key.
  const companies = new Map(population.companies.map((c) => [c.creditCode, c]));
  const investorsOf = indexBy(population.shareholdings, (s) => [s.companyCreditCode]);
  // A holder's investment rows, written once: each carries the enterprise's name and capital.
  const investmentsOf = new Map(
    [...indexBy(population.shareholdings, (s) => [partyKey(s.holder)])].map(([holder, stakes]) => [
      holder,
      stakes.map((s) => {
        const company = companies.get(s.companyCreditCode);
        if (!company) throw new Error(`The population has shareholding ${s.id} in ${s.companyCreditCode}, a company it does not have.`);
        return investmentWire(s, company);
      }),
    ]),
  );
  const representedBy = indexBy(population.companies, (c) => [c.legalRepresentative]);
  const stakes = new Map(population.shareholdings.map((s) => [stakeKey(s.companyCreditCode, s.id), s]));

  const book =
    options.control &&
    // The registry's look at the company when it answers: a deregistered one has no equity left.
    (await openMeasureBook(options.control, (measure: Measure): Assessment => {
      const stake = stakes.get(measure.assetKey);
      return stake && companies.get(stake.companyCreditCode)?.status === 'CANCELLED' ? { returned: DEREGISTERED_RETURN_REASON } : {};
    }));

  return startEmulator({
    name: 'commerce',
    latencyMs: options.latencyMs,
    port: options.port,
    host: options.host,
    renderError: (refusal) => ({ success: false, errorCode: refusal.agencyCode, errorMsg: refusal.message }),
    routes: [
      {
        method: 'POST',
        path: /^\/api\/v2\/enterprises\/batch$/,
        handle: (req) => ({
          body: {
            success: true,
            data: keysOf(req, 'uniscids').flatMap((code) => {
              const company = companies.get(code);
              return company ? [enterpriseWire(company, investorsOf.get(code) ?? [])] : [];
            }),
          },
        }),
      },
      {
        method: 'POST',
        path: /^\/api\/v2\/investors\/batch$/,
        handle: (req) => ({
          body: { success: true, data: keysOf(req, 'cernos').flatMap((key) => investmentsOf.get(key) ?? []) },
        }),
      },
      {
        method: 'POST',
        path: /^\/api\/v2\/lerep\/batch$/,
        handle: (req) => ({
          body: { success: true, data: keysOf(req, 'cernos').flatMap((key) => (representedBy.get(key) ?? []).map(legalRepresentativeWire)) },
        }),
      },
      ...(book
        ? controlRoutes({
            prefix: COMMERCE_CONTROL_PREFIX,
            book,
            takes: [['EQUITY', 'FREEZE']],
            admit: ({ assetKey }) => {
              if (!stakes.has(assetKey)) throw new AgencyRefusal(404, 'ASSET_NOT_FOUND', `no shareholding ${assetKey} in the registry`);
            },
          })
        : []),
    ],
  });
}
