import { IdentifierMaker } from './makeIdentifiers';
import { companyName, flatAddress, personName, streetAddress } from './names';
import { Random } from './random';
import type {
  AccountType,
  BankAccountRecord,
  CaseRecord,
  CaseStatus,
  CompanyRecord,
  PartyRef,
  PersonRecord,
  Population,
  RealEstateUnitRecord,
  RealEstateUsage,
  Scenarios,
  SocialInsuranceRecord,
  VehicleRecord,
  VehicleFlag,
} from './types';
import { BANKS, COUNTIES, COURTS, type County } from './world';

export interface PopulationOptions {
  /** @default DEFAULT_SEED */
  seed?: number;
  /** Number of persons, scenario people included. @default DEFAULT_PERSONS */
  persons?: number;
}

export const DEFAULT_SEED = 20190123;
export const DEFAULT_PERSONS = 2000;
/** The synthetic world's "today": data never depends on the wall clock. */
export const AS_OF = '2026-10-01';

const YUAN = 100;
const WAN = 10_000 * YUAN;

/** The same day some years later; 29 February becomes 28 February in a common year. */
function addYears(date: string, years: number): string {
  const year = Number(date.slice(0, 4)) + years;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return `${year}${date.slice(4) === '-02-29' && !leap ? '-02-28' : date.slice(4)}`;
}

const person = (p: PersonRecord): PartyRef => ({ kind: 'PERSON', idNumber: p.idNumber });
const company = (c: CompanyRecord): PartyRef => ({ kind: 'COMPANY', creditCode: c.creditCode });

/**
 * Builds the whole synthetic province from a seed: scenario people first (so they are the
 * same whatever the population size), then a random filler population.
 */
export function createPopulation(options: PopulationOptions = {}): Population {
  const seed = options.seed ?? DEFAULT_SEED;
  const builder = new PopulationBuilder(seed);
  const scenarios = builder.scenarios();
  builder.filler(Math.max(0, (options.persons ?? DEFAULT_PERSONS) - builder.pop.persons.length));
  return { ...builder.pop, scenarios };
}

class PopulationBuilder {
  readonly rng: Random;
  readonly ids: IdentifierMaker;
  readonly pop: Omit<Population, 'scenarios'>;
  private readonly caseSerials = new Map<string, number>();

  constructor(seed: number) {
    this.rng = new Random(seed);
    this.ids = new IdentifierMaker(this.rng);
    this.pop = {
      seed,
      asOf: AS_OF,
      courts: COURTS,
      banks: BANKS,
      persons: [],
      companies: [],
      shareholdings: [],
      cases: [],
      bankAccounts: [],
      wealthHoldings: [],
      realEstate: [],
      vehicles: [],
      socialInsurance: [],
    };
  }

  // ---- the situations courts meet -------------------------------------------------------

  scenarios(): Scenarios {
    const hz = COUNTIES[1];
    const rich = this.person(hz, 'M', '1975-04-18', '陈国强');
    const spouse = this.person(hz, 'F', '1977-09-02', '林美华');
    const holding = this.company(hz, rich, '杭州锦程建材有限公司', 500 * WAN);
    this.shareholding(holding, person(rich), 400 * WAN, 400 * WAN);
    this.shareholding(holding, person(spouse), 100 * WAN, 20 * WAN);
    const subsidiaryOwner = this.person(COUNTIES[3], 'M', '1969-12-30', '王建华');
    const subsidiary = this.company(COUNTIES[3], subsidiaryOwner, '宁波锦程物流有限公司', 1000 * WAN);
    this.shareholding(subsidiary, company(holding), 600 * WAN, 600 * WAN);
    this.shareholding(subsidiary, person(subsidiaryOwner), 400 * WAN, 100 * WAN);

    const nobody = this.person(hz, 'M', '1990-01-15', '张伟');
    const twoCourts = this.person(COUNTIES[3], 'F', '1982-06-06', '李秀英');
    const paidUp = this.person(hz, 'M', '1985-03-03', '赵磊');
    const applicants = [
      this.person(hz, 'F', '1968-11-11', '周静'),
      this.person(hz, 'M', '1979-08-08', '吴涛'),
      this.person(COUNTIES[3], 'M', '1971-02-02', '徐明'),
    ] as const;

    // The rich debtor: every agency, every bank, a joint flat with the spouse, a mortgaged car.
    for (const [bankCode, balance] of [['NCB', 182_345_67], ['NCB', 5_000_00], ['HZCB', 76_543_21], ['RCC', 12_000_00], ['WEB', 3_456_78]] as const) {
      this.account(person(rich), bankCode, 'DEMAND', balance);
    }
    this.wealth(person(rich), 'NCB', 'NCB-WM-2024-017', '稳享180天理财', 200_000_00);
    this.wealth(person(rich), 'WEB', 'WEB-FUND-88', '余利宝货币基金', 35_210_44);
    this.unit(hz, [{ party: person(rich), shareBasisPoints: 10000 }], 'RESIDENTIAL', 14_326, true);
    const joint = this.unit(hz, [
      { party: person(rich), shareBasisPoints: 5000 },
      { party: person(spouse), shareBasisPoints: 5000 },
    ], 'RESIDENTIAL', 8_950, false);
    const mortgagedCar = this.vehicle(person(rich), hz, ['MORTGAGED']);
    this.vehicle(person(rich), hz, []);
    this.insurance(rich, holding, 'INSURED', 18_000_00, 460_000_00);
    // The co-debtor company: accounts, a pledged truck, an office.
    this.account(company(holding), 'NCB', 'SETTLEMENT', 1_234_567_89);
    this.account(company(holding), 'HZCB', 'SETTLEMENT', 88_000_00);
    this.vehicle(company(holding), hz, ['PLEDGED'], 'HEAVY_TRUCK');
    this.unit(hz, [{ party: company(holding), shareBasisPoints: 10000 }], 'OFFICE', 32_050, false);
    this.account(company(subsidiary), 'NCB', 'SETTLEMENT', 456_789_01);
    this.vehicle(company(subsidiary), COUNTIES[3], [], 'LIGHT_TRUCK');
    // The debtor in two courts holds a little in one bank and a car.
    this.account(person(twoCourts), 'HZCB', 'DEMAND', 23_456_70);
    this.vehicle(person(twoCourts), COUNTIES[3], []);
    this.insurance(twoCourts, null, 'INSURED', 9_000_00, 31_200_00);
    this.insurance(paidUp, null, 'RETIRED', 0, 0, 4_210_50);

    const richCase = this.case('浙0106', 2025, '执', 'ACTIVE', 1_250_000_00, 1_250_000_00, [person(applicants[0])], [person(rich), company(holding)], '2025-03-12');
    const nothingCase = this.case('浙0106', 2025, '执', 'ACTIVE', 86_000_00, 86_000_00, [person(applicants[1])], [person(nobody)], '2025-05-20');
    const firstCourt = this.case('浙0106', 2024, '执恢', 'ACTIVE', 300_000_00, 210_000_00, [person(applicants[1])], [person(twoCourts)], '2024-09-01');
    const secondCourt = this.case('浙0203', 2025, '执', 'ACTIVE', 45_500_50, 45_500_50, [person(applicants[2])], [person(twoCourts)], '2025-07-15');
    const closed = this.case('浙0106', 2023, '执', 'CLOSED', 12_000_00, 0, [person(applicants[0])], [person(paidUp)], '2023-02-10', '2023-08-30');

    // A house three cases in two courts want: the first seal holds it, the others wait.
    const contested = this.person(hz, 'M', '1972-05-05', '孙立军');
    const house = this.unit(hz, [{ party: person(contested), shareBasisPoints: 10000 }], 'RESIDENTIAL', 12_000, false);
    const contestedCases = [
      this.case('浙0106', 2025, '执', 'ACTIVE', 500_000_00, 500_000_00, [person(applicants[0])], [person(contested)], '2025-01-10'),
      this.case('浙0203', 2025, '执', 'ACTIVE', 200_000_00, 200_000_00, [person(applicants[2])], [person(contested)], '2025-02-10'),
      this.case('浙0106', 2025, '执', 'ACTIVE', 80_000_00, 80_000_00, [person(applicants[1])], [person(contested)], '2025-04-01'),
    ] as const;

    return {
      debtorWithNothing: { idNumber: nobody.idNumber, caseNumber: nothingCase.caseNumber },
      richDebtor: {
        idNumber: rich.idNumber,
        caseNumber: richCase.caseNumber,
        companyCreditCode: holding.creditCode,
        spouseIdNumber: spouse.idNumber,
        jointUnitNumber: joint.unitNumber,
        mortgagedVin: mortgagedCar.vin,
      },
      debtorInTwoCourts: {
        idNumber: twoCourts.idNumber,
        caseNumbers: [firstCourt.caseNumber, secondCourt.caseNumber],
        courtCodes: ['浙0106', '浙0203'],
      },
      closedCase: { caseNumber: closed.caseNumber, debtorIdNumber: paidUp.idNumber },
      contestedHouse: {
        idNumber: contested.idNumber,
        unitNumber: house.unitNumber,
        caseNumbers: [contestedCases[0].caseNumber, contestedCases[1].caseNumber, contestedCases[2].caseNumber],
      },
      subsidiary: { creditCode: subsidiary.creditCode },
    };
  }

  // ---- the random rest of the province ---------------------------------------------------

  filler(count: number): void {
    const { rng } = this;
    const people: PersonRecord[] = [];
    for (let i = 0; i < count; i++) {
      const county = rng.pick(COUNTIES);
      const gender = rng.chance(0.5) ? 'M' : 'F';
      people.push(this.person(county, gender, rng.date(1950, 2004)));
    }
    const companies: CompanyRecord[] = [];
    for (let i = 0; i < Math.floor(count / 8); i++) {
      const county = rng.pick(COUNTIES);
      const owners = [rng.pick(people), rng.pick(people)].slice(0, rng.int(1, 2));
      const capital = rng.int(1, 200) * 10 * WAN;
      const c = this.company(county, owners[0]!, undefined, capital);
      const shares = owners.length === 1 ? [capital] : [capital * 0.6, capital * 0.4];
      owners.forEach((o, k) => this.shareholding(c, person(o), shares[k]!, rng.chance(0.5) ? shares[k]! : 0));
      companies.push(c);
    }
    for (const p of people) this.personAssets(p, people, companies);
    for (const c of companies) this.companyAssets(c);
    const ownedBy = new Map(companies.map((c) => [c.legalRepresentative, c]));
    const courts = COURTS.filter((c) => c.code.length > 3);
    for (let i = 0; i < Math.floor(count / 4); i++) {
      const debtor = rng.pick(people);
      const debtors: PartyRef[] = [person(debtor)];
      const owned = ownedBy.get(debtor.idNumber);
      if (owned && rng.chance(0.5)) debtors.push(company(owned));
      const status: CaseStatus = rng.chance(0.75) ? 'ACTIVE' : rng.chance(0.2) ? 'SUSPENDED' : 'CLOSED';
      const due = rng.int(1_000, 2_000_000) * YUAN + rng.int(0, 99);
      const outstanding = status === 'CLOSED' ? 0 : due - Math.floor(due * rng.int(0, 50) / 100);
      const filed = rng.date(2021, 2025);
      this.case(rng.pick(courts).code, Number(filed.slice(0, 4)), rng.chance(0.9) ? '执' : '执恢', status, due, outstanding, [person(rng.pick(people))], debtors, filed, status === 'CLOSED' ? filed : null);
    }
  }

  private personAssets(p: PersonRecord, people: PersonRecord[], companies: CompanyRecord[]): void {
    const { rng } = this;
    const county = COUNTIES.find((c) => c.code === p.countyCode)!;
    const accounts = rng.pick([0, 1, 1, 2, 2, 3, 4]);
    for (let i = 0; i < accounts; i++) {
      this.account(person(p), rng.pick(BANKS).code, rng.chance(0.8) ? 'DEBIT_CARD' : 'TIME', rng.int(0, 300_000) * YUAN + rng.int(0, 99));
    }
    if (rng.chance(0.1)) this.wealth(person(p), rng.pick(['NCB', 'WEB']), 'WM-' + rng.digits(4), '稳健理财', rng.int(10_000, 500_000) * YUAN);
    if (rng.chance(0.5)) {
      const coOwner = rng.chance(0.2) ? rng.pick(people) : p;
      const owners = coOwner === p
        ? [{ party: person(p), shareBasisPoints: 10000 }]
        : [{ party: person(p), shareBasisPoints: 5000 }, { party: person(coOwner), shareBasisPoints: 5000 }];
      this.unit(county, owners, 'RESIDENTIAL', rng.int(4_000, 20_000), rng.chance(0.4));
    }
    if (rng.chance(0.4)) this.vehicle(person(p), county, rng.chance(0.15) ? ['MORTGAGED'] : []);
    if (rng.chance(0.85)) {
      const age = Number(AS_OF.slice(0, 4)) - Number(p.birthDate.slice(0, 4));
      const employer = companies.length > 0 && rng.chance(0.7) ? rng.pick(companies) : null;
      if (age >= 60) this.insurance(p, null, 'RETIRED', 0, rng.int(0, 50_000) * YUAN, rng.int(2_000, 6_000) * YUAN + rng.int(0, 99));
      else this.insurance(p, employer, rng.chance(0.9) ? 'INSURED' : 'SUSPENDED', rng.int(4_000, 30_000) * YUAN, rng.int(0, 200_000) * YUAN);
    }
  }

  private companyAssets(c: CompanyRecord): void {
    const { rng } = this;
    const county = COUNTIES.find((k) => k.code === c.countyCode)!;
    for (let i = rng.int(1, 3); i > 0; i--) this.account(company(c), rng.pick(BANKS).code, 'SETTLEMENT', rng.int(0, 3_000_000) * YUAN);
    if (rng.chance(0.2)) this.unit(county, [{ party: company(c), shareBasisPoints: 10000 }], rng.pick(['COMMERCIAL', 'INDUSTRIAL', 'OFFICE'] as const), rng.int(10_000, 200_000), rng.chance(0.5));
    for (let i = rng.int(0, 3); i > 0; i--) this.vehicle(company(c), county, rng.chance(0.2) ? ['PLEDGED'] : [], rng.pick(['SMALL_CAR', 'LIGHT_TRUCK', 'HEAVY_TRUCK'] as const));
  }

  // ---- record makers ---------------------------------------------------------------------

  private person(county: County, gender: 'M' | 'F', birthDate: string, name?: string): PersonRecord {
    const p: PersonRecord = {
      idNumber: this.ids.idNumber(county.code, birthDate, gender),
      name: name ?? personName(this.rng),
      gender,
      birthDate,
      countyCode: county.code,
      address: streetAddress(this.rng, county.city, county.name),
    };
    this.pop.persons.push(p);
    return p;
  }

  private company(county: County, legalRep: PersonRecord, name: string | undefined, capitalFen: number): CompanyRecord {
    const generated = companyName(this.rng, county.city);
    const c: CompanyRecord = {
      creditCode: this.ids.creditCode(county.code),
      name: name ?? generated.name,
      status: name || this.rng.chance(0.85) ? 'ACTIVE' : this.rng.pick(['REVOKED', 'CANCELLED', 'LIQUIDATING'] as const),
      registeredCapitalFen: capitalFen,
      legalRepresentative: legalRep.idNumber,
      establishedOn: this.rng.date(2000, 2022),
      countyCode: county.code,
      address: streetAddress(this.rng, county.city, county.name),
      businessScope: generated.scope,
    };
    this.pop.companies.push(c);
    return c;
  }

  private shareholding(c: CompanyRecord, holder: PartyRef, subscribedFen: number, paidInFen: number): void {
    this.pop.shareholdings.push({
      id: `SH${String(this.ids.next()).padStart(8, '0')}`,
      companyCreditCode: c.creditCode,
      holder,
      subscribedFen: Math.round(subscribedFen),
      paidInFen: Math.round(paidInFen),
      subscribedOn: c.establishedOn,
    });
  }

  private account(holder: PartyRef, bankCode: string, type: AccountType, balanceFen: number): BankAccountRecord {
    const status = this.rng.chance(0.05) ? 'DORMANT' : 'NORMAL';
    const a: BankAccountRecord = {
      bankCode,
      accountNumber: this.ids.accountNumber(bankCode),
      holder,
      type,
      currency: this.rng.chance(0.03) ? 'USD' : 'CNY',
      balanceFen,
      // Some of the balance may already be held back by the bank (pending, pledged).
      availableFen: this.rng.chance(0.15) ? Math.floor(balanceFen * 0.8) : balanceFen,
      status,
      branchCode: bankCode + this.rng.digits(4),
      openedOn: this.rng.date(2005, 2025),
    };
    this.pop.bankAccounts.push(a);
    return a;
  }

  private wealth(holder: PartyRef, bankCode: string, productCode: string, productName: string, valueFen: number): void {
    this.pop.wealthHoldings.push({
      bankCode,
      holdingId: `${bankCode}-H${this.ids.next()}`,
      productCode,
      productName,
      holder,
      unitsMilli: Math.round(valueFen * 10 / 1.0234),
      marketValueFen: valueFen,
      valuedOn: AS_OF,
    });
  }

  private unit(county: County, owners: RealEstateUnitRecord['owners'], usage: RealEstateUsage, floorAreaHundredthsM2: number, mortgaged: boolean): RealEstateUnitRecord {
    const registeredOn = this.rng.date(2008, 2024);
    const u: RealEstateUnitRecord = {
      unitNumber: this.ids.unitNumber(county.code),
      countyCode: county.code,
      certificateNumber: `浙(${registeredOn.slice(0, 4)})${county.city.replace('市', '')}不动产权第${String(this.ids.next()).padStart(7, '0')}号`,
      address: flatAddress(this.rng, county.city, county.name),
      usage,
      floorAreaHundredthsM2: floorAreaHundredthsM2,
      ownershipKind: owners.length === 1 ? 'SOLE' : 'BY_SHARES',
      owners,
      mortgages: mortgaged
        ? [{ mortgagee: this.rng.pick(BANKS).name, amountFen: this.rng.int(20, 300) * WAN, registeredOn, endsOn: addYears(registeredOn, 30) }]
        : [],
      registeredOn,
    };
    this.pop.realEstate.push(u);
    return u;
  }

  private vehicle(owner: PartyRef, county: County, flags: VehicleFlag[], vehicleType: VehicleRecord['vehicleType'] = 'SMALL_CAR'): VehicleRecord {
    const [brand, model] = this.rng.pick([['大众', '帕萨特'], ['丰田', '凯美瑞'], ['比亚迪', '汉EV'], ['吉利', '星越L'], ['本田', '雅阁'], ['解放', 'J6P']] as const);
    const v: VehicleRecord = {
      vin: this.ids.vin(),
      plateNumber: this.ids.plateNumber(county.plate),
      brand,
      model,
      vehicleType,
      color: this.rng.pick(['白', '黑', '银', '红', '蓝']),
      registeredOn: this.rng.date(2012, 2025),
      owner,
      flags,
    };
    this.pop.vehicles.push(v);
    return v;
  }

  private insurance(p: PersonRecord, employer: CompanyRecord | null, status: SocialInsuranceRecord['status'], baseFen: number, fundFen: number, pensionFen = 0): void {
    const payments = [];
    if (status === 'RETIRED') {
      for (let m = 1; m <= 6; m++) payments.push({ month: `2026-${String(m + 3).padStart(2, '0')}`, amountFen: pensionFen });
    }
    this.pop.socialInsurance.push({
      idNumber: p.idNumber,
      status,
      employerCreditCode: status === 'INSURED' && employer ? employer.creditCode : null,
      contributionBaseFen: baseFen,
      insuredSince: this.rng.date(1995, 2020),
      monthlyPensionFen: pensionFen,
      pensionPayments: payments,
      housingFund: fundFen > 0
        ? { accountNumber: `GJJ${p.countyCode}${String(this.ids.next()).padStart(9, '0')}`, balanceFen: fundFen, monthlyDepositFen: Math.round(baseFen * 0.24), status: 'NORMAL' }
        : null,
    });
  }

  private case(courtCode: string, year: number, type: string, status: CaseStatus, dueFen: number, outstandingFen: number, applicants: PartyRef[], debtors: PartyRef[], filedOn: string, closedOn: string | null = null): CaseRecord {
    const key = `${year}${courtCode}${type}`;
    const serial = (this.caseSerials.get(key) ?? 1000) + 1;
    this.caseSerials.set(key, serial);
    const c: CaseRecord = {
      caseNumber: `(${year})${courtCode}${type}${serial}号`,
      courtCode,
      status,
      cause: this.rng.pick(['民间借贷纠纷', '买卖合同纠纷', '金融借款合同纠纷', '劳动争议', '租赁合同纠纷']),
      amountDueFen: dueFen,
      outstandingFen,
      filedOn,
      closedOn,
      officer: `${courtCode}-${String(this.rng.int(1, 40)).padStart(3, '0')}`,
      applicants,
      debtors,
    };
    this.pop.cases.push(c);
    return c;
  }
}
