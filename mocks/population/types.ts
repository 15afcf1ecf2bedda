/** The synthetic world every agency emulator draws from. Money is integer fen throughout. */

export type PartyRef =
  | { kind: 'PERSON'; idNumber: string }
  | { kind: 'COMPANY'; creditCode: string };

export interface PersonRecord {
  idNumber: string;
  name: string;
  gender: 'M' | 'F';
  birthDate: string;
  countyCode: string;
  address: string;
}

export type CompanyStatus = 'ACTIVE' | 'REVOKED' | 'CANCELLED' | 'LIQUIDATING';

export interface CompanyRecord {
  creditCode: string;
  name: string;
  status: CompanyStatus;
  registeredCapitalFen: number;
  legalRepresentative: string; // idNumber
  establishedOn: string;
  countyCode: string;
  address: string;
  businessScope: string;
}

export interface ShareholdingRecord {
  id: string;
  companyCreditCode: string;
  holder: PartyRef;
  subscribedFen: number;
  paidInFen: number;
  subscribedOn: string;
}

export interface CourtRecord {
  code: string;
  name: string;
  countyCode: string;
}

export type CaseStatus = 'ACTIVE' | 'SUSPENDED' | 'CLOSED';

export interface CaseRecord {
  caseNumber: string;
  courtCode: string;
  status: CaseStatus;
  cause: string;
  amountDueFen: number;
  outstandingFen: number;
  filedOn: string;
  closedOn: string | null;
  officer: string;
  applicants: PartyRef[];
  debtors: PartyRef[];
}

export interface BankRecord {
  code: string;
  name: string;
}

export type AccountType = 'DEMAND' | 'TIME' | 'DEBIT_CARD' | 'SETTLEMENT';
export type AccountStatus = 'NORMAL' | 'DORMANT' | 'CLOSED';

export interface BankAccountRecord {
  bankCode: string;
  accountNumber: string;
  holder: PartyRef;
  type: AccountType;
  currency: 'CNY' | 'USD';
  balanceFen: number;
  availableFen: number;
  status: AccountStatus;
  branchCode: string;
  openedOn: string;
}

export interface WealthHoldingRecord {
  bankCode: string;
  holdingId: string;
  productCode: string;
  productName: string;
  holder: PartyRef;
  /** Units held, in thousandths of a unit (products are priced per unit). */
  unitsMilli: number;
  marketValueFen: number;
  valuedOn: string;
}

export type RealEstateUsage = 'RESIDENTIAL' | 'COMMERCIAL' | 'OFFICE' | 'INDUSTRIAL';
export type OwnershipKind = 'SOLE' | 'BY_SHARES' | 'JOINT';

export interface RealEstateOwnerRecord {
  party: PartyRef;
  /** Share of the unit in basis points (10000 = whole); joint owners hold it undivided. */
  shareBasisPoints: number;
}

export interface MortgageRecord {
  mortgagee: string;
  amountFen: number;
  registeredOn: string;
  endsOn: string;
}

export interface RealEstateUnitRecord {
  unitNumber: string;
  countyCode: string;
  certificateNumber: string;
  address: string;
  usage: RealEstateUsage;
  /** Floor area in hundredths of a square metre. */
  floorAreaHundredthsM2: number;
  ownershipKind: OwnershipKind;
  owners: RealEstateOwnerRecord[];
  mortgages: MortgageRecord[];
  registeredOn: string;
}

export type VehicleFlag = 'MORTGAGED' | 'PLEDGED' | 'SEIZED' | 'SCRAPPED';

export interface VehicleRecord {
  vin: string;
  plateNumber: string;
  brand: string;
  model: string;
  vehicleType: 'SMALL_CAR' | 'LARGE_BUS' | 'HEAVY_TRUCK' | 'LIGHT_TRUCK' | 'MOTORCYCLE';
  color: string;
  registeredOn: string;
  owner: PartyRef;
  flags: VehicleFlag[];
}

export interface PensionPaymentRecord {
  month: string; // YYYY-MM
  amountFen: number;
}

export interface HousingFundRecord {
  accountNumber: string;
  balanceFen: number;
  monthlyDepositFen: number;
  status: 'NORMAL' | 'SEALED' | 'CLOSED';
}

export interface SocialInsuranceRecord {
  idNumber: string;
  status: 'INSURED' | 'SUSPENDED' | 'RETIRED';
  employerCreditCode: string | null;
  contributionBaseFen: number;
  insuredSince: string;
  monthlyPensionFen: number;
  pensionPayments: PensionPaymentRecord[];
  housingFund: HousingFundRecord | null;
}

/** Named people, companies and cases for the situations courts meet (see scenarios.ts). */
export interface Scenarios {
  /** Debtor in an active case who owns nothing anywhere. */
  debtorWithNothing: { idNumber: string; caseNumber: string };
  /**
   * Debtor with assets in every agency and in all banks; their company is a co-debtor in
   * the same case; they co-own a flat with their spouse (not a debtor); one car mortgaged.
   */
  richDebtor: {
    idNumber: string;
    caseNumber: string;
    companyCreditCode: string;
    spouseIdNumber: string;
    jointUnitNumber: string;
    mortgagedVin: string;
  };
  /** A person who is debtor in two cases of two different courts. */
  debtorInTwoCourts: { idNumber: string; caseNumbers: [string, string]; courtCodes: [string, string] };
  /** A debtor's only house, wanted by three active cases: two of court 浙0106 (first and third) and one of 浙0203. */
  contestedHouse: { idNumber: string; unitNumber: string; caseNumbers: [string, string, string] };
  /** A closed case (paid in full). */
  closedCase: { caseNumber: string; debtorIdNumber: string };
  /** A company whose only debtor-side link is a shareholding of the rich debtor's company. */
  subsidiary: { creditCode: string };
}

export interface Population {
  seed: number;
  /** "Today" of the synthetic world, so data never depends on the wall clock. */
  asOf: string;
  courts: CourtRecord[];
  banks: BankRecord[];
  persons: PersonRecord[];
  companies: CompanyRecord[];
  shareholdings: ShareholdingRecord[];
  cases: CaseRecord[];
  bankAccounts: BankAccountRecord[];
  wealthHoldings: WealthHoldingRecord[];
  realEstate: RealEstateUnitRecord[];
  vehicles: VehicleRecord[];
  socialInsurance: SocialInsuranceRecord[];
  scenarios: Scenarios;
}
