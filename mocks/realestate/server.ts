/**
 * Emulator of the provincial real-estate registration exchange platform (不动产登记信息共享
 * 平台), which fronts the county registries. Field names are pinyin initials, as in the
 * registries' own systems.
 *
 * Legacy API (JSON, UTF-8):
 *   POST /bdc/api/qlr/cx      { cxsqh, zjhm: [...] }   units per owner (权利人查询)
 *        cxsqh: the query request number (查询申请号), required; zjhm: 证件号码 of owners
 *        (resident ID numbers or unified social credit codes), at most 10
 *        -> { code: "0000", msg, cxsqh, data: [{ zjhm, bdcdy: [unit] }] }
 *           one row per asked zjhm, in the order asked; bdcdy is [] for an unknown owner
 *   GET  /bdc/api/bdcdy/{bdcdyh}                        one unit by unit number
 *        -> { code: "0000", msg, data: unit }, or 404 with code "1004" if there is no such unit
 *   POST /bdc/api/bdcdy/cx    { bdcdyh: [...] }         units by unit number, at most 10
 *        -> { code: "0000", msg, data: [unit] }  (unknown numbers are absent)
 *   unit = {
 *     bdcdyh (不动产单元号, 28 chars), bdcqzh (不动产权证书号), zl (坐落), xzqdm (6-digit county code),
 *     yt (用途: "住宅" | "商业" | "办公" | "工业"), mj (建筑面积, m² as a decimal string, "89.50"),
 *     gyfs (共有方式: "单独所有" | "按份共有" | "共同共有"),
 *     qlr: [{ zjzl (证件种类: "身份证" | "统一社会信用代码"), zjhm, fe (份额, "50%"; absent for 共同共有) }]
 *       (the platform gives no names: it is not an identity service),
 *     dyxx: [{ dyqr (抵押权人), dyje (被担保债权数额 in 万元 as a decimal string, "120.5"),
 *              djrq (登记日期), dyqx_end (债务履行期限止) }],
 *     djrq (登簿日期) }
 *   Dates are written "2019年03月05日". The registries of 330302 and 330502 write them
 *   "2019年3月5日" and areas without trailing zeros ("89.5", "120"); the platform passes that on.
 * Control (seal 查封, renewal 续封, release 解封) through the network's control interface under
 * /bdc/api/kz (mocks/shared/measures/controlDesk.ts): seals of REAL_ESTATE units by unit
 * number; a unit the registries do not hold is refused (404 ASSET_NOT_FOUND).
 * Errors: HTTP 4xx/5xx with { code: 4-digit string, never "0000", msg }:
 *   1001 bad request, 1002 more than 10 keys (HTTP 413), 1003 no such endpoint,
 *   1004 no such unit, 9001 system busy, 9999 internal error.
 */
import type { Population } from '../population';
import { batchKeys, indexBy } from '../shared/batch';
import { partyKey } from '../shared/partyKey';
import { type AgencyControlOptions, controlRoutes, openMeasureBook } from '../shared/measures/controlDesk';
import { AgencyRefusal, type Emulator, startEmulator } from '../shared/startEmulator';
import { wireUnit } from './wire';

export const REAL_ESTATE_MAX_BATCH = 10;

/** The platform's 4-digit codes for the refusals the shared emulator raises itself. */
const SHARED_REFUSAL_CODES: Record<string, string> = {
  BAD_REQUEST: '1001',
  NOT_FOUND: '1003',
  SYSTEM_BUSY: '9001',
  INTERNAL: '9999',
};

export interface RealEstateEmulatorOptions {
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** @default 3 */
  latencyMs?: number;
  /** The registry's measure book; without it the platform answers inquiries only. */
  control?: AgencyControlOptions;
}

export const REAL_ESTATE_CONTROL_PREFIX = '/bdc/api/kz';

export async function startRealEstateEmulator(population: Population, options: RealEstateEmulatorOptions = {}): Promise<Emulator> {
  const byNumber = new Map(population.realEstate.map((u) => [u.unitNumber, u]));
  // A Set, so an owner listed twice on one unit still sees the unit once.
  const byOwner = indexBy(population.realEstate, (u) => [...new Set(u.owners.map((o) => partyKey(o.party)))]);

  const control = options.control && {
    book: await openMeasureBook(options.control),
  };

  return startEmulator({
    name: 'realestate',
    latencyMs: options.latencyMs ?? 3,
    port: options.port,
    host: options.host,
    renderError: (refusal) => ({
      code: /^\d{4}$/.test(refusal.agencyCode) ? refusal.agencyCode : (SHARED_REFUSAL_CODES[refusal.agencyCode] ?? '9999'),
      msg: refusal.message,
    }),
    routes: [
      {
        method: 'POST',
        path: /^\/bdc\/api\/qlr\/cx$/,
        handle: ({ body }) => {
          const cxsqh = (body as { cxsqh?: unknown } | undefined)?.cxsqh;
          if (typeof cxsqh !== 'string' || cxsqh === '') throw new AgencyRefusal(400, '1001', '缺少查询申请号 cxsqh');
          const ids = batchKeys(body, 'zjhm', REAL_ESTATE_MAX_BATCH, '1002');
          const data = ids.map((zjhm) => ({ zjhm, bdcdy: (byOwner.get(zjhm) ?? []).map(wireUnit) }));
          return { body: { code: '0000', msg: '查询成功', cxsqh, data } };
        },
      },
      {
        method: 'POST',
        path: /^\/bdc\/api\/bdcdy\/cx$/,
        handle: ({ body }) => {
          const numbers = batchKeys(body, 'bdcdyh', REAL_ESTATE_MAX_BATCH, '1002');
          const data = numbers.flatMap((n) => {
            const unit = byNumber.get(n);
            return unit ? [wireUnit(unit)] : [];
          });
          return { body: { code: '0000', msg: '查询成功', data } };
        },
      },
      {
        method: 'GET',
        path: /^\/bdc\/api\/bdcdy\/([0-9A-Za-z]+)$/,
        handle: ({ params }) => {
          const unit = byNumber.get(params[0]!);
          if (!unit) throw new AgencyRefusal(404, '1004', '不动产单元不存在');
          return { body: { code: '0000', msg: '查询成功', data: wireUnit(unit) } };
        },
      },
      ...(control
        ? controlRoutes({
            prefix: REAL_ESTATE_CONTROL_PREFIX,
            book: control.book,
            takes: [['REAL_ESTATE', 'SEAL']],
            admit: ({ assetKey }) => {
              if (!byNumber.has(assetKey)) throw new AgencyRefusal(404, 'ASSET_NOT_FOUND', `no unit ${assetKey} in the registries`);
            },
          })
        : []),
    ],
  });
}
