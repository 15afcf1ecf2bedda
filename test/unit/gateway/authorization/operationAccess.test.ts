import { buildSchema, GraphQLScalarType, parse } from 'graphql';
import { analyseOperation } from '../../../../gateway/authorization/operationAccess';
import { scalarResolvers } from '../../../../schemas/scalars';

const schema = buildSchema(`
  scalar IdNumber
  scalar CreditCode
  scalar CaseNumber
  type Query {
    person(idNumber: IdNumber!): Person
    persons(idNumbers: [IdNumber!]!): [Person!]!
    company(creditCode: CreditCode!): Company
    case(caseNumber: CaseNumber!): Case
    cases(court: String!): [Case!]!
  }
  type Mutation {
    withhold(input: WithholdInput!): Case
  }
  input WithholdInput { requestId: String! debtor: IdNumber! others: [PartyInput!] caseNumber: CaseNumber }
  input PartyInput { creditCode: CreditCode }
  union Party = Person | Company
  type Person { idNumber: IdNumber! vehicles: [String!] shareholdings: [Holding!] }
  type Company { creditCode: CreditCode! vehicles: [String!] }
  type Holding { company: Company! }
  type Case { debtors: [Party!]! }
`);
for (const [name, impl] of Object.entries(scalarResolvers)) {
  const type = schema.getType(name);
  if (type instanceof GraphQLScalarType) Object.assign(type, { parseValue: impl.parseValue, parseLiteral: impl.parseLiteral });
}

const ID = '11010519491231002X';
const CODE = '91350100M000100Y43';

describe('analyseOperation', () => {
  it('reads subjects and case numbers inside input objects and their lists, from literals and variables', () => {
    const access = analyseOperation(
      schema,
      parse('mutation($in: WithholdInput!) { a: withhold(input: $in) { __typename } b: withhold(input: { requestId: "r", debtor: "11010519491231002x" }) { __typename } }'),
      undefined,
      { in: { requestId: 'court', debtor: ID, others: [{ creditCode: CODE.toLowerCase() }, {}], caseNumber: '（2025）浙0106执1号' } },
    );
    expect(access.roots).toEqual([
      { field: 'withhold', subjects: [ID, CODE], caseNumbers: ['(2025)浙0106执1号'], courts: [] },
      { field: 'withhold', subjects: [ID], caseNumbers: [], courts: [] },
    ]);
  });

  it('reads subjects from literals and variables alike, normalised by the scalars', () => {
    const access = analyseOperation(
      schema,
      parse('query($ids: [IdNumber!]!, $c: CreditCode!) { a: person(idNumber: "11010519491231002x") { idNumber } persons(idNumbers: $ids) { idNumber } company(creditCode: $c) { creditCode } }'),
      undefined,
      { ids: [ID], c: CODE.toLowerCase() },
    );
    expect(access.roots).toEqual([
      { field: 'person', subjects: [ID], caseNumbers: [], courts: [] },
      { field: 'persons', subjects: [ID], caseNumbers: [], courts: [] },
      { field: 'company', subjects: [CODE], caseNumbers: [], courts: [] },
    ]);
  });

  it('reads case numbers (full-width normalised) and docket courts', () => {
    const access = analyseOperation(schema, parse('{ case(caseNumber: "（2025）浙0106执1001号") { debtors { __typename } } cases(court: "浙0106") { debtors { __typename } } }'), undefined, {});
    expect(access.roots).toEqual([
      { field: 'case', subjects: [], caseNumbers: ['(2025)浙0106执1001号'], courts: [] },
      { field: 'cases', subjects: [], caseNumbers: [], courts: ['浙0106'] },
    ]);
  });

  it('collects every field coordinate, through inline fragments, named fragments and nesting', () => {
    const access = analyseOperation(
      schema,
      parse(`query Q { case(caseNumber: "(2025)浙0106执1001号") { debtors { ... on Person { ...P } ... on Company { vehicles } } } }
        fragment P on Person { idNumber shareholdings { company { ...C } } }
        fragment C on Company { vehicles }`),
      'Q',
      {},
    );
    expect([...access.coordinates].sort()).toEqual([
      'Case.debtors',
      'Company.vehicles',
      'Holding.company',
      'Person.idNumber',
      'Person.shareholdings',
      'Query.case',
    ]);
  });

  it("reads each request's own variables when one parsed document serves many requests", () => {
    const document = parse(`query Two($id: IdNumber!) { person(idNumber: $id) { idNumber } }
      query One { company(creditCode: "${CODE}") { vehicles } }`);
    const other = '330102198001010018';
    const first = analyseOperation(schema, document, 'Two', { id: ID });
    const second = analyseOperation(schema, document, 'Two', { id: other });
    const third = analyseOperation(schema, document, 'One', {});
    expect(first.roots[0]!.subjects).toEqual([ID]);
    expect(second.roots[0]!.subjects).toEqual([other]);
    // Same document, another operation in it: its own selections, not the first one's.
    expect(third.roots).toEqual([{ field: 'company', subjects: [CODE], caseNumbers: [], courts: [] }]);
    expect([...third.coordinates].sort()).toEqual(['Company.vehicles', 'Query.company']);
    expect([...second.coordinates].sort()).toEqual(['Person.idNumber', 'Query.person']);
  });

  it('takes variables the caller already coerced as they are', () => {
    const document = parse('query($id: IdNumber!) { person(idNumber: $id) { idNumber } }');
    const access = analyseOperation(schema, document, undefined, { id: 'not read' }, { id: ID });
    expect(access.roots[0]!.subjects).toEqual([ID]);
  });
});
