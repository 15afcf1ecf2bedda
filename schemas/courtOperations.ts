/**
 * The documented court operations: the texts court software sends, part of the contract it
 * codes against. The gateway builds their query plans at start-up (gateway/queryPlans/), so
 * the first court to send one does not wait for the planner; a plan is found by the exact
 * text (and operation name), so everyone sends these strings as they are, values only in
 * variables: README.md, the `npm start` banner, the bench and the tests all take them from here.
 */

/** The one-stop dossier of a case: its debtors and what each holds at every agency (README.md shows it). */
export const DOSSIER = `query Dossier($case: CaseNumber!) {
  case(caseNumber: $case) {
    caseNumber status outstanding court { name }
    debtors {
      ... on Person {
        idNumber name
        bankAccounts { bank { name } accountNumber balance availableBalance }
        bankInquiry { bank { code } status }
        realEstate { unitNumber address floorArea ownership owners { share owner { ... on Person { name } } } mortgages { amount } }
        vehicles { vin plateNumber status }
        shareholdings { ratio company { creditCode name registration { status registeredCapital } } }
        socialInsurance { status contributionBase employer { name } housingFund { balance } }
      }
      ... on Company { creditCode name registration { status registeredCapital } bankAccounts { accountNumber balance } vehicles { vin } }
    }
  }
}`;

/**
 * A bulk sweep of a case's debtors (up to 1000 ID numbers): what each holds at every agency.
 * Companies are named by credit code only: the names of companies outside the case would add
 * calls to the court's identity service (which the debtors' own names, from the case record, do not).
 */
export const PERSONS_SWEEP = `query Sweep($ids: [IdNumber!]!) {
  persons(idNumbers: $ids) {
    idNumber name
    bankAccounts { bank { code } accountNumber balance availableBalance }
    realEstate { unitNumber address }
    vehicles { vin plateNumber status }
    shareholdings { id ratio company { creditCode } }
    legalRepresentativeOf { creditCode }
    socialInsurance { status contributionBase housingFund { balance } }
  }
}`;

/**
 * A sweep's search of one case (the sweep workers send it with the court's sweep credential):
 * every debtor's holdings at every agency, with the values a tally needs and nothing a person
 * reads (no names, addresses or owners). Each asset has its key, so the search's record can
 * say what was found, and each agency's part its own field, so a failure names the agency;
 * a retry asks only the agencies that failed (each included by its variable, all by default).
 */
export const CASE_SEARCH = `query CaseSearch($case: CaseNumber!, $bank: Boolean! = true, $realestate: Boolean! = true, $vehicle: Boolean! = true, $commerce: Boolean! = true, $socialInsurance: Boolean! = true) {
  case(caseNumber: $case) {
    caseNumber status
    debtors {
      ... on Person {
        idNumber
        bankAccounts @include(if: $bank) { bank { code } accountNumber balance }
        realEstate @include(if: $realestate) { unitNumber }
        vehicles @include(if: $vehicle) { vin }
        shareholdings @include(if: $commerce) { id }
        socialInsurance @include(if: $socialInsurance) { status contributionBase pension { monthlyAmount } housingFund { accountNumber balance } }
      }
      ... on Company { creditCode bankAccounts @include(if: $bank) { bank { code } accountNumber balance } vehicles @include(if: $vehicle) { vin } }
    }
  }
}`;

/** An applicant's view of their case (README "Applicants"), with the measures in summary. */
export const CASE_PROGRESS = `query CaseProgress($case: CaseNumber!) {
  caseProgress(caseNumber: $case) {
    status amountDue outstanding recovered
    depositMeasures { status amount }
    realEstateMeasures { status amount }
    vehicleMeasures { status amount }
    equityMeasures { status amount }
    incomeMeasures { status amount }
  }
}`;

/** Sealing a real-estate unit, with the payload README.md shows. */
export const SEAL_REAL_ESTATE = `mutation Seal($input: SealRealEstateInput!) {
  sealRealEstate(input: $input) {
    seal { id status queuePosition termStart termEnd priorMeasures { courtCode caseNumber status } history { kind at note } }
    refusal { code message limit limitDays }
  }
}`;

/** Every documented operation, in the order the gateway warms them. */
export const COURT_OPERATIONS: readonly string[] = [DOSSIER, PERSONS_SWEEP, CASE_SEARCH, CASE_PROGRESS, SEAL_REAL_ESTATE];

// Variables as type aliases, not interfaces, so they pass where a request's variables are a plain record.

/** The variables of DOSSIER and CASE_PROGRESS: the case asked about. */
export type CaseVariables = { case: string };

export function caseVariables(caseNumber: string): CaseVariables {
  return { case: caseNumber };
}

/** The agencies a CASE_SEARCH asks, by its variables (each subgraph's part of a debtor). */
export const CASE_SEARCH_AGENCIES = ['bank', 'realestate', 'vehicle', 'commerce', 'social-insurance'] as const;
export type CaseSearchAgency = (typeof CASE_SEARCH_AGENCIES)[number];

/** CASE_SEARCH's variables: the case, and which agencies to ask (all when none is named). */
export function caseSearchVariables(caseNumber: string, agencies: readonly CaseSearchAgency[] = CASE_SEARCH_AGENCIES): Record<string, unknown> {
  const asked = new Set(agencies);
  return {
    case: caseNumber,
    bank: asked.has('bank'),
    realestate: asked.has('realestate'),
    vehicle: asked.has('vehicle'),
    commerce: asked.has('commerce'),
    socialInsurance: asked.has('social-insurance'),
  };
}

/** The variables of PERSONS_SWEEP: the ID numbers swept. */
export type SweepVariables = { ids: string[] };

export function sweepVariables(idNumbers: readonly string[]): SweepVariables {
  return { ids: [...idNumbers] };
}

/** `SealRealEstateInput` (schemas/realestate.graphql), as SEAL_REAL_ESTATE sends it. */
export type SealRealEstateInput = {
  /** The court's idempotency key: the same key never makes a second seal. */
  requestId: string;
  unitNumber: string;
  /** The ruling / assistance notice the seal is served on. */
  documentNumber: string;
  termDays: number;
};

export function sealVariables(input: SealRealEstateInput): { input: SealRealEstateInput } {
  return { input };
}
