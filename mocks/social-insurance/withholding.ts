import { formatFen } from '../../schemas/identifiers';
import type { Population, SocialInsuranceRecord } from '../population';
import { batchKeys } from '../shared/batch';
import { AgencyRefusal, type Route } from '../shared/startEmulator';
import { INSURED_MAX_BATCH } from './insuredExchange';

/**
 * Monthly local subsistence minimum (最低生活保障标准) per county, in fen. SYNTHETIC figures
 * of the order Zhejiang's cities publish, not the real ones. A court may withhold wages or a
 * pension only above it (CPL interpretation: income withholding must leave the debtor and
 * dependants basic living expenses).
 */
export const SUBSISTENCE_MINIMUM_FEN: Readonly<Record<string, number>> = {
  '330102': 1_281_00, // 杭州市上城区
  '330106': 1_281_00, // 杭州市西湖区
  '330110': 1_281_00, // 杭州市余杭区
  '330203': 1_250_00, // 宁波市海曙区
  '330302': 1_160_00, // 温州市鹿城区
  '330502': 1_210_00, // 湖州市吴兴区
};

/** The provincial floor, for a county without a figure of its own (synthetic too). */
export const PROVINCIAL_SUBSISTENCE_MINIMUM_FEN = 1_100_00;

/**
 * What the bureau can withhold, and from: a retiree's pension (the pension fund pays it), or
 * an insured person's wage, taken to be the contribution base the bureau records (its notice
 * goes to whoever pays the contributions). A person whose contributions are suspended has
 * no income on record, so nothing can be withheld through the bureau.
 */
export type IncomeKind = 'WAGES' | 'PENSION';

export interface WithholdingBasis {
  idNumber: string;
  incomeKind: IncomeKind;
  monthlyIncomeFen: number;
  subsistenceMinimumFen: number;
  /** The most that may be withheld each month: income less the minimum, never below 0. */
  limitFen: number;
}

function incomeOf(record: SocialInsuranceRecord): { kind: IncomeKind; fen: number } | null {
  if (record.status === 'RETIRED' && record.monthlyPensionFen > 0) return { kind: 'PENSION', fen: record.monthlyPensionFen };
  if (record.status === 'INSURED' && record.contributionBaseFen > 0) return { kind: 'WAGES', fen: record.contributionBaseFen };
  return null;
}

/**
 * The bureau's view of each insured person's withholdable income. The minimum is that of
 * the county the person lives in (in the synthetic province one is insured where one lives).
 */
export class IncomeRegister {
  private readonly records: Map<string, SocialInsuranceRecord>;
  private readonly countyOf: Map<string, string>;

  constructor(population: Population) {
    this.records = new Map(population.socialInsurance.map((r) => [r.idNumber, r]));
    this.countyOf = new Map(population.persons.map((p) => [p.idNumber, p.countyCode]));
  }

  /** undefined: the bureau has no record of the person; null: it pays them nothing. */
  basis(idNumber: string): WithholdingBasis | null | undefined {
    const record = this.records.get(idNumber);
    if (!record) return undefined;
    const income = incomeOf(record);
    if (!income) return null;
    const county = this.countyOf.get(idNumber);
    const minimum = (county && SUBSISTENCE_MINIMUM_FEN[county]) || PROVINCIAL_SUBSISTENCE_MINIMUM_FEN;
    return {
      idNumber,
      incomeKind: income.kind,
      monthlyIncomeFen: income.fen,
      subsistenceMinimumFen: minimum,
      limitFen: Math.max(0, income.fen - minimum),
    };
  }

  /**
   * The bureau's own check before it serves a withholding (the control desk's `admit`): it
   * enforces the subsistence minimum itself, whatever a court's software checked before.
   */
  admit(request: { assetKey: string; amountFen?: number }): void {
    const basis = this.basis(request.assetKey);
    if (basis === undefined) throw new AgencyRefusal(404, 'ASSET_NOT_FOUND', `the bureau has no insured person ${request.assetKey}`);
    if (basis === null) {
      throw new AgencyRefusal(422, 'NO_INCOME', `the bureau pays ${request.assetKey} no wage or pension (contributions suspended)`);
    }
    if (request.amountFen === undefined) {
      throw new AgencyRefusal(422, 'INVALID_INPUT', 'a withholding states the amount withheld each month (amountFen)', { field: 'amountFen' });
    }
    if (request.amountFen > basis.limitFen) {
      throw new AgencyRefusal(
        422,
        'EXCEEDS_LIVING_ALLOWANCE',
        `withholding ${formatFen(request.amountFen)} a month would leave less than the local subsistence minimum of ` +
          `${formatFen(basis.subsistenceMinimumFen)}; at most ${formatFen(basis.limitFen)} may be withheld`,
        { limitFen: basis.limitFen, monthlyIncomeFen: basis.monthlyIncomeFen, subsistenceMinimumFen: basis.subsistenceMinimumFen },
      );
    }
  }
}

const INCOME_KIND_CODE: Record<IncomeKind, 'GZ' | 'YLJ'> = { WAGES: 'GZ', PENSION: 'YLJ' };

/** POST /si/exchange/withholdable: income a court may withhold from, for a batch of ID numbers. */
export function withholdableRoute(register: IncomeRegister): Route {
  return {
    method: 'POST',
    path: /^\/si\/exchange\/withholdable$/,
    handle: ({ body }) => {
      const jbh = (body as { jbh?: unknown } | undefined)?.jbh;
      if (typeof jbh !== 'string' || jbh === '') throw new AgencyRefusal(400, 'NO_REQUEST_NUMBER', 'jbh (request number) is required');
      const ids = new Set(batchKeys(body, 'sfzhm', INSURED_MAX_BATCH));
      const records = [...ids].flatMap((id) => {
        const basis = register.basis(id);
        return basis
          ? [{ sfzhm: id, srlx: INCOME_KIND_CODE[basis.incomeKind], ysr: formatFen(basis.monthlyIncomeFen), dbbz: formatFen(basis.subsistenceMinimumFen) }]
          : [];
      });
      return { body: { status: 'OK', records } };
    },
  };
}
