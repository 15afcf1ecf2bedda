/**
 * The operations examples/controlSequence.ts sends, kept apart from the script so that
 * `npm run schema:check` can validate them without running the walk-through.
 */

const FREEZE_FIELDS = 'id status queuePosition amountAsked amountControlled termStart termEnd priorMeasures { courtCode caseNumber status amountControlled } history { kind at note }';

export const DEBTOR = `query Debtor($id: IdNumber!) {
  person(idNumber: $id) { name bankAccounts { bank { code } accountNumber balance availableBalance } }
}`;

export const FREEZE = `mutation Freeze($input: FreezeDepositInput!) {
  freezeDeposit(input: $input) { freeze { ${FREEZE_FIELDS} } refusal { code message limit } }
}`;

export const FREEZES = `query Freezes($id: IdNumber!) {
  person(idNumber: $id) { bankAccounts { accountNumber balance availableBalance freezes { ${FREEZE_FIELDS} case { caseNumber } } } }
}`;

export const RELEASE = `mutation Release($input: ReleaseMeasureInput!) {
  releaseDepositFreeze(input: $input) { freeze { id status endedAt } refusal { code message } }
}`;

export const DEDUCT = `mutation Deduct($input: DeductFrozenDepositInput!) {
  deductFrozenDeposit(input: $input) {
    deduction { id amount at transferred }
    freeze { id status amountControlled amountDeducted account { balance availableBalance } }
    refusal { code message limit }
  }
}`;

export const CASE_DEPOSITS = `query Case($case: CaseNumber!) {
  case(caseNumber: $case) { amountDue outstanding depositFreezes { id status amountControlled amountDeducted } }
}`;

export const CONTROL_SEQUENCE_OPERATIONS: readonly string[] = [DEBTOR, FREEZE, FREEZES, RELEASE, DEDUCT, CASE_DEPOSITS];
