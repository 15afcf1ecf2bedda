import type { CompanyRecord, CompanyStatus, ShareholdingRecord } from '../population';
import { partyKey } from '../shared/partyKey';

/** How the enterprise credit system writes population records (see server.ts for the fields). */

const REGSTATE: Record<CompanyStatus, string> = {
  ACTIVE: '存续',
  REVOKED: '吊销',
  CANCELLED: '注销',
  LIQUIDATING: '清算',
};

const FEN_PER_WAN = 1_000_000;

/** Integer fen as 万元 with 6 decimals, the registry's own notation: 5,000,000.00 yuan -> "500.000000". */
export function wanYuan(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new RangeError(`amount must be non-negative integer fen, got ${fen}`);
  return `${Math.floor(fen / FEN_PER_WAN)}.${String(fen % FEN_PER_WAN).padStart(6, '0')}`;
}

export interface InvestorWire {
  inv_type: '自然人股东' | '企业法人';
  inv_cerno: string;
  subconam: string;
  acconam: string;
  condate: string;
  invid: string;
}

export function investorWire(s: ShareholdingRecord): InvestorWire {
  return {
    inv_type: s.holder.kind === 'PERSON' ? '自然人股东' : '企业法人',
    inv_cerno: partyKey(s.holder),
    subconam: wanYuan(s.subscribedFen),
    acconam: wanYuan(s.paidInFen),
    condate: s.subscribedOn,
    invid: s.id,
  };
}

export function enterpriseWire(c: CompanyRecord, investors: readonly ShareholdingRecord[]) {
  return {
    uniscid: c.creditCode,
    entname: c.name,
    regstate: REGSTATE[c.status],
    regcap: wanYuan(c.registeredCapitalFen),
    regcapcur: '人民币',
    // The legal representative's name (lerep_name) is withheld: courts get identifiers, not names.
    lerep_cerno: c.legalRepresentative,
    estdate: c.establishedOn,
    dom: c.address,
    opscope: c.businessScope,
    investors: investors.map(investorWire),
  };
}

/**
 * A row of /investors/batch: the investor fields plus the enterprise the stake is in, with
 * that enterprise's name and registered capital, as enterprise credit systems list a holder's
 * investments (so a caller can weigh the stake without looking each enterprise up).
 * `c` is the company the stake is in (s.companyCreditCode).
 */
export function investmentWire(s: ShareholdingRecord, c: CompanyRecord) {
  return {
    uniscid: c.creditCode,
    entname: c.name,
    regcap: wanYuan(c.registeredCapitalFen),
    regcapcur: '人民币',
    ...investorWire(s),
  };
}

/** A row of /lerep/batch: an enterprise summary with its legal representative. */
export function legalRepresentativeWire(c: CompanyRecord) {
  return { lerep_cerno: c.legalRepresentative, uniscid: c.creditCode, entname: c.name, regstate: REGSTATE[c.status] };
}
