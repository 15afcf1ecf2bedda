/**
 * A query plan's ask for the request's own case, answered from the case record: exactly the
 * fetch's shape when the record holds all of it, and nothing (the fetch goes out) otherwise.
 */
import { CASE_RECORD_QUERY } from '../../../../gateway/caseBinding/caseRecord';
import { CaseRecordAnswers } from '../../../../gateway/caseBinding/caseRecordAnswers';

const CASE = '(2024)浙0106执1234号';

/** A record as the court subgraph answers CASE_RECORD_QUERY. */
function record() {
  return {
    __typename: 'EnforcementCase',
    caseNumber: CASE,
    status: 'ACTIVE',
    cause: '民间借贷纠纷',
    amountDue: '120000.00',
    outstanding: '98765.43',
    filedOn: '2024-03-01',
    closedOn: null,
    officer: '浙0106-101',
    court: { __typename: 'Court', code: '浙0106', name: '杭州市西湖区人民法院' },
    debtors: [
      { __typename: 'Person', idNumber: '11010519491231002X', name: '张三' },
      { __typename: 'Company', creditCode: '91330106MA2GL1234X', name: '某某有限公司' },
    ],
    applicants: [{ __typename: 'Person', idNumber: '110105194912310037', name: '李四' }],
  };
}

/** The court fetch gateway-js writes for the README dossier (query plan, first step). */
const DOSSIER_FETCH = `query Dossier__court__0($case:CaseNumber!){case(caseNumber:$case){caseNumber status outstanding court{name}debtors{__typename ...on Person{__typename idNumber name}...on Company{__typename creditCode name}}}}`;

describe('CaseRecordAnswers', () => {
  const answers = () => new CaseRecordAnswers(CASE_RECORD_QUERY);

  it("answers the dossier's court fetch exactly as the court subgraph would", () => {
    expect(answers().answer(DOSSIER_FETCH, { case: CASE }, CASE, record())).toEqual({
      data: {
        case: {
          caseNumber: CASE,
          status: 'ACTIVE',
          outstanding: '98765.43',
          court: { name: '杭州市西湖区人民法院' },
          debtors: [
            { __typename: 'Person', idNumber: '11010519491231002X', name: '张三' },
            { __typename: 'Company', creditCode: '91330106MA2GL1234X', name: '某某有限公司' },
          ],
        },
      },
    });
  });

  it('keeps the order of the fetch, its aliases, and merges a key selected twice', () => {
    const query = `query Q($n: CaseNumber!) { first: case(caseNumber: $n) { st: status
      debtors { ... on Person { idNumber } ... on Person { n: name } ... { __typename } } court { code } court { name } } }`;
    const answer = answers().answer(query, { n: CASE }, CASE, record());
    expect(answer).toEqual({
      data: {
        first: {
          st: 'ACTIVE',
          debtors: [
            { idNumber: '11010519491231002X', n: '张三', __typename: 'Person' },
            { __typename: 'Company' },
          ],
          court: { code: '浙0106', name: '杭州市西湖区人民法院' },
        },
      },
    });
    expect(Object.keys(answer!.data.first as object)).toEqual(['st', 'debtors', 'court']);
  });

  it('takes the case number from a literal too, in either form of parentheses', () => {
    const literal = `{ case(caseNumber: "（2024）浙0106执1234号") { status } }`;
    expect(answers().answer(literal, undefined, CASE, record())).toEqual({ data: { case: { status: 'ACTIVE' } } });
  });

  it('answers null fields as null, and every field of the record', () => {
    const all = `query Q($c: CaseNumber!) { case(caseNumber: $c) { caseNumber status cause amountDue outstanding filedOn closedOn officer
      applicants { ... on Person { idNumber name } ... on Company { creditCode name } } } }`;
    const answer = answers().answer(all, { c: CASE }, CASE, record());
    expect(answer?.data.case).toMatchObject({ closedOn: null, amountDue: '120000.00', applicants: [{ idNumber: '110105194912310037', name: '李四' }] });
  });

  it('never shares an object with the record: gateway-js merges into its answers in place', () => {
    const held = record();
    const answer = answers().answer(DOSSIER_FETCH, { case: CASE }, CASE, held)!;
    const kase = answer.data.case as { court: Record<string, unknown>; debtors: Record<string, unknown>[] };
    kase.court.name = 'changed';
    kase.debtors[0]!.bankAccounts = [];
    expect(held).toEqual(record());
  });

  describe('sends the fetch on (no answer) when', () => {
    const cases: [string, string, Record<string, unknown> | undefined][] = [
      ['it is for another case', DOSSIER_FETCH, { case: '(2024)浙0106执9999号' }],
      ['its case number is missing', DOSSIER_FETCH, {}],
      ['its case number is not a case number', DOSSIER_FETCH, { case: 'nonsense' }],
      ['it asks for a field the record does not hold', `query Q($c: CaseNumber!) { case(caseNumber: $c) { status debtors { ... on Person { enforcementCases { caseNumber } } } } }`, { c: CASE }],
      ['a field has arguments', `query Q($c: CaseNumber!) { case(caseNumber: $c) { debtors { ... on Person { enforcementCases(role: DEBTOR) { caseNumber } } } } }`, { c: CASE }],
      ['a selection has a directive', `query Q($c: CaseNumber!, $x: Boolean!) { case(caseNumber: $c) { status @include(if: $x) } }`, { c: CASE, x: true }],
      ['it spreads a named fragment', `query Q($c: CaseNumber!) { case(caseNumber: $c) { ...F } } fragment F on EnforcementCase { status }`, { c: CASE }],
      ['a type condition is one the record does not tell apart', `query Q($c: CaseNumber!) { case(caseNumber: $c) { debtors { ... on Party { __typename } } } }`, { c: CASE }],
      ['another root field is asked too', `query Q($c: CaseNumber!) { case(caseNumber: $c) { status } courts { code } }`, { c: CASE }],
      ['it is an entity fetch', `query Q($representations: [_Any!]!) { _entities(representations: $representations) { ... on Person { name } } }`, { representations: [] }],
      ['it is a mutation', `mutation M($c: CaseNumber!) { case(caseNumber: $c) { status } }`, { c: CASE }],
      ['it selects a nested object as a leaf', `query Q($c: CaseNumber!) { case(caseNumber: $c) { court } }`, { c: CASE }],
      ['it does not parse', `query Q($c: CaseNumber!) { case(caseNumber: $c) { status `, { c: CASE }],
    ];
    it.each(cases)('%s', (_why, query, variables) => {
      const answerer = answers();
      expect(answerer.answer(query, variables, CASE, record())).toBeUndefined();
      expect(answerer.answered).toBe(0);
    });

    it('the record lacks a field its query should have given', () => {
      const { name: _dropped, ...court } = record().court;
      expect(answers().answer(DOSSIER_FETCH, { case: CASE }, CASE, { ...record(), court })).toBeUndefined();
    });

    it('a record level lacks the __typename a type condition needs', () => {
      const debtors = record().debtors.map(({ __typename: _t, ...rest }) => rest);
      expect(answers().answer(DOSSIER_FETCH, { case: CASE }, CASE, { ...record(), debtors })).toBeUndefined();
    });

    it('there is no record', () => {
      expect(answers().answer(DOSSIER_FETCH, { case: CASE }, CASE, null)).toBeUndefined();
    });
  });

  it('counts what it answered, and remembers a bounded number of fetch texts', () => {
    const answerer = new CaseRecordAnswers(CASE_RECORD_QUERY, 2);
    for (let i = 0; i < 5; i++) {
      expect(answerer.answer(`query Q${i}($c: CaseNumber!) { case(caseNumber: $c) { status } }`, { c: CASE }, CASE, record())).toBeDefined();
    }
    expect(answerer.answer(DOSSIER_FETCH, { case: CASE }, CASE, record())).toBeDefined();
    expect(answerer.answered).toBe(6);
    expect((answerer as unknown as { plans: Map<string, unknown> }).plans.size).toBe(2);
  });

  it('refuses a record query that does not select the case', () => {
    expect(() => new CaseRecordAnswers('query { courts { code } }')).toThrow('must select `case');
  });
});
