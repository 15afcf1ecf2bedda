/**
 * The court operations whose query plans the gateway builds at start-up, so the first court
 * to send one does not wait for the planner. A plan is found by the operation's exact text
 * (and operation name), so court software sends these strings as they are, with variables.
 */

/** The one-stop dossier of a case, exactly as README.md shows it. */
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
        shareholdings { ratio company { name bankAccounts { accountNumber balance } vehicles { plateNumber } } }
        socialInsurance { status contributionBase employer { name } housingFund { balance } }
      }
      ... on Company { creditCode name registration { status registeredCapital } bankAccounts { accountNumber balance } vehicles { vin } }
    }
  }
}`;

/** A bulk sweep of a case's debtors (up to 1000 ID numbers): what each holds at every agency. */
export const PERSONS_SWEEP = `query Sweep($idNumbers: [IdNumber!]!) {
  persons(idNumbers: $idNumbers) {
    idNumber name
    bankAccounts { bank { code } accountNumber balance availableBalance }
    realEstate { unitNumber address }
    vehicles { vin plateNumber status }
    shareholdings { ratio company { creditCode name } }
    socialInsurance { status contributionBase housingFund { balance } }
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

export const COURT_OPERATIONS: readonly string[] = [DOSSIER, PERSONS_SWEEP, CASE_PROGRESS, SEAL_REAL_ESTATE];
