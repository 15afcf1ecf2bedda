/**
 * The case record is read off the court SDL: the binding's query selects what the court
 * subgraph gives of a case, the model of its answer follows the same field list, and an SDL
 * that lacks what the binding reads stops the gateway at start-up.
 */
import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, print, validate } from 'graphql';
import { CASE_RECORD, CASE_RECORD_QUERY, caseRecordOf } from '../../../../gateway/caseBinding/caseRecord';
import { loadSubgraphSdl, subgraphSdlPath } from '../../../../schemas/loadSubgraphSdl';

const COURT_SDL = readFileSync(subgraphSdlPath('court'), 'utf8');
const CASE = '(2024)浙0106执1234号';

/** The court SDL with one change to EnforcementCase. */
const courtSdlWith = (from: string, to: string) => {
  if (!COURT_SDL.includes(from)) throw new Error(`the court SDL no longer has ${from}`);
  return parse(COURT_SDL.replace(from, to));
};

/** A record as the court subgraph answers the query, with only what the binding reads. */
const bare = { caseNumber: CASE, status: 'ACTIVE', court: { code: '浙0106' }, outstanding: '98765.43', debtors: [{ idNumber: '11010519491231002X' }], applicants: [] };
const parses = (record: unknown, errors?: unknown) => CASE_RECORD.answer.safeParse({ data: { case: record }, ...(errors ? { errors } : {}) }).success;

describe('the case record', () => {
  it('is a valid query of the court subgraph, selecting every field of a case that takes no arguments, __typename at every level', () => {
    const schema = buildSubgraphSchema({ typeDefs: loadSubgraphSdl('court') });
    expect(validate(schema, parse(CASE_RECORD_QUERY))).toEqual([]);
    expect(print(parse(CASE_RECORD_QUERY))).toBe(
      print(
        parse(`query CaseRecord($caseNumber: CaseNumber!) { case(caseNumber: $caseNumber) {
          __typename caseNumber court { __typename code name } status cause amountDue outstanding filedOn closedOn officer
          applicants { __typename ... on Person { __typename idNumber name } ... on Company { __typename creditCode name } }
          debtors { __typename ... on Person { __typename idNumber name } ... on Company { __typename creditCode name } } } }`),
      ),
    );
  });

  it('follows the SDL: a field added to a case is selected and typed, a field with arguments is a walk and left out', () => {
    const added = caseRecordOf(courtSdlWith('  officer: String!\n', '  officer: String!\n  judge: String\n  seals(first: Int): [String!]\n'));
    expect(added.query).toContain('officer judge applicants');
    expect(added.query).not.toContain('seals');
    expect(added.answer.safeParse({ data: { case: { ...bare, judge: '王法官' } } }).success).toBe(true);
    expect(added.answer.safeParse({ data: { case: { ...bare, judge: 7 } } }).success).toBe(false);
    // A party's cases lead back to the case: another record, not this one.
    expect(CASE_RECORD_QUERY).not.toContain('enforcementCases');
  });

  it('refuses, at start-up, an SDL without a field the binding reads', () => {
    expect(() => caseRecordOf(courtSdlWith('  outstanding: Money!\n', '  stillOwed: Money!\n'))).toThrow(
      'The case binding reads EnforcementCase.outstanding, which the court SDL does not give without arguments.',
    );
    expect(() => caseRecordOf(courtSdlWith('  code: String!\n', '  id: String!\n'))).toThrow('EnforcementCase.court.code');
  });

  it("models the answer from the same fields: the binding's are required, the others typed when given", () => {
    expect(parses(bare)).toBe(true);
    expect(parses(null)).toBe(true);
    expect(parses(null, [{ message: 'The court case system could not be reached.', extensions: { code: 'AGENCY_UNAVAILABLE' } }])).toBe(true);
    expect(parses({ ...bare, closedOn: null, cause: '民间借贷纠纷', debtors: [{ __typename: 'Company', creditCode: '91330106MA2GL1234X', name: '某某有限公司' }] })).toBe(true);
    const { outstanding: _o, ...withoutOutstanding } = bare;
    expect(parses(withoutOutstanding)).toBe(false);
    expect(parses({ ...bare, court: {} })).toBe(false);
    expect(parses({ ...bare, status: 'ARCHIVED' })).toBe(false);
    expect(parses({ ...bare, outstanding: 98765.43 })).toBe(false);
    expect(parses({ ...bare, cause: 42 })).toBe(false);
    expect(parses({ ...bare, debtors: [{ __typename: 'Robot' }] })).toBe(false);
  });
});
