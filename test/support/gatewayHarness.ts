/**
 * A small stand-in for the court graph (the shapes a dossier walks: case -> debtors ->
 * shareholdings -> company -> ... -> bankAccounts), served by a real Apollo Server so the
 * gateway's plugins run exactly as they do in the gateway.
 */
import { ApolloServer, type ApolloServerOptions, type ApolloServerPlugin } from '@apollo/server';
import { buildSchema } from 'graphql';
import type { Caller, GatewayContext } from '../../gateway/context';

export const schema = buildSchema(`
  type Query {
    case(caseNumber: String!): EnforcementCase
    cases(court: String!, status: CaseStatus, first: Int = 20, after: String): EnforcementCaseConnection!
    person(idNumber: String!): Person!
    company(creditCode: String!): Company!
    persons(idNumbers: [String!]!): [Person!]!
    fail(message: String!): String
  }
  enum CaseStatus { ACTIVE SUSPENDED CLOSED }
  union Party = Person | Company
  type EnforcementCaseConnection { edges: [EnforcementCaseEdge!]! pageInfo: PageInfo! totalCount: Int! }
  type EnforcementCaseEdge { cursor: String! node: EnforcementCase! }
  type PageInfo { hasNextPage: Boolean! endCursor: String }
  type Court { code: String! name: String! }
  type EnforcementCase {
    caseNumber: String! court: Court! status: CaseStatus! cause: String! amountDue: String! outstanding: String!
    filedOn: String! closedOn: String officer: String! applicants: [Party!]! debtors: [Party!]!
  }
  type Person {
    idNumber: String! name: String bankAccounts: [BankAccount] vehicles: [Vehicle!]
    shareholdings: [Shareholding!] realEstate: [RealEstateUnit!]
  }
  type Company {
    creditCode: String! name: String bankAccounts: [BankAccount] vehicles: [Vehicle!]
    shareholdings: [Shareholding!] shareholders: [Shareholding!] realEstate: [RealEstateUnit!]
  }
  type Shareholding { ratio: String! subscribedCapital: String! company: Company! holder: Party! }
  type Bank { code: String! name: String! }
  type BankAccount { bank: Bank! bankCode: String! accountNumber: String! balance: String! availableBalance: String! }
  type Vehicle { vin: String! plateNumber: String! status: [String!]! }
  type RealEstateUnit { unitNumber: String! ownership: String! owners: [RealEstateOwner!]! }
  type RealEstateOwner { share: String owner: Party! }
`);

/** Every call a resolver saw, so a test can show that a refused operation ran nothing. */
export const resolved: string[] = [];

const bank = { code: 'NCB', name: 'National Commercial Bank' };
const account = () => [{ bank, bankCode: 'NCB', accountNumber: '6222021234567890123', balance: '1.00', availableBalance: '1.00' }];
const vehicles = () => [{ vin: 'LSVAU218XN2183294', plateNumber: '浙A12345', status: ['NORMAL'] }];

function company(creditCode: string): Record<string, unknown> {
  return {
    __typename: 'Company',
    creditCode,
    name: 'Hangzhou Example Trading Co.',
    bankAccounts: account,
    vehicles,
    realEstate: () => [],
    shareholdings: () => [{ ratio: '60.00', subscribedCapital: '600000.00', company: company(creditCode), holder: company(creditCode) }],
    shareholders: () => [{ ratio: '80.00', subscribedCapital: '4000000.00', company: company(creditCode), holder: person('330106199001019356') }],
  };
}

function person(idNumber: string): Record<string, unknown> {
  return {
    __typename: 'Person',
    idNumber,
    name: 'Zhang San',
    bankAccounts: account,
    vehicles,
    realEstate: () => [{ unitNumber: '330106001001GB00001F00010001', ownership: 'SOLE', owners: [{ share: '100.00', owner: person(idNumber) }] }],
    shareholdings: () => [{ ratio: '80.00', subscribedCapital: '4000000.00', company: company('91330106MA2B3C4D5E'), holder: person(idNumber) }],
  };
}

const enforcementCase = (caseNumber: string) => ({
  caseNumber,
  court: { code: '浙0106', name: 'Xihu District People’s Court' },
  status: 'ACTIVE',
  cause: 'loan',
  amountDue: '100.00',
  outstanding: '100.00',
  filedOn: '2024-01-02',
  closedOn: null,
  officer: 'officer-7',
  applicants: [company('91330106MA2B3C4D5E')],
  debtors: [person('330106199001019356'), company('91330106MA2B3C4D5E')],
});

export const rootValue = {
  case: ({ caseNumber }: { caseNumber: string }) => (resolved.push('case'), enforcementCase(caseNumber)),
  cases: ({ first }: { first: number }) => (
    resolved.push('cases'),
    {
      totalCount: first,
      pageInfo: { hasNextPage: false, endCursor: null },
      edges: Array.from({ length: first }, (_, i) => ({ cursor: String(i), node: enforcementCase(`(2024)浙0106执${i + 1}号`) })),
    }
  ),
  person: ({ idNumber }: { idNumber: string }) => (resolved.push('person'), person(idNumber)),
  company: ({ creditCode }: { creditCode: string }) => (resolved.push('company'), company(creditCode)),
  persons: ({ idNumbers }: { idNumbers: string[] }) => (resolved.push('persons'), idNumbers.map(person)),
  fail: ({ message }: { message: string }) => {
    throw new Error(message);
  },
};

export const courtCaller = (court: string, officer = 'officer-7'): Caller => ({ kind: 'court', court, officer, roles: ['query'] });
export const citizenCaller = (idNumber: string): Caller => ({ kind: 'citizen', idNumber });

type ExtraOptions = Partial<Pick<ApolloServerOptions<GatewayContext>, 'validationRules' | 'parseOptions' | 'allowBatchedHttpRequests' | 'logger'>>;

/** An Apollo Server on the stand-in schema with the given plugins; stopped by the caller. */
export function makeServer(plugins: ApolloServerPlugin<GatewayContext>[], extra: ExtraOptions = {}): ApolloServer<GatewayContext> {
  return new ApolloServer<GatewayContext>({
    schema,
    rootValue,
    includeStacktraceInErrorResponses: false,
    ...extra,
    plugins,
  });
}

export interface Answer {
  status: number | undefined;
  headers: Record<string, string>;
  data?: Record<string, unknown> | null;
  errors?: { message: string; locations?: unknown; path?: unknown; extensions?: Record<string, unknown> }[];
}

/** Runs one operation in process, as a caller, and returns its JSON form with the HTTP head. */
export async function run(
  server: ApolloServer<GatewayContext>,
  query: string,
  options: { variables?: Record<string, unknown>; caller?: Caller; caseNumber?: string; requestId?: string; clientAddress?: string } = {},
): Promise<Answer> {
  const response = await server.executeOperation(
    { query, variables: options.variables },
    {
      contextValue: {
        requestId: options.requestId ?? 'req-1',
        ...(options.caller ? { caller: options.caller } : {}),
        ...(options.caseNumber ? { caseNumber: options.caseNumber } : {}),
        ...(options.clientAddress ? { clientAddress: options.clientAddress } : {}),
      },
    },
  );
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  const body = JSON.parse(JSON.stringify(response.body.singleResult)) as Omit<Answer, 'status' | 'headers'>;
  return { status: response.http.status, headers: Object.fromEntries(response.http.headers), ...body };
}
