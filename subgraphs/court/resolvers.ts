import { COURT_LIMITS } from './client';
import type { CourtContext } from './context';
import { decodeCursor, encodeCursor } from './cursor';
import type { Resolvers } from './generated/resolvers';
import { primePartyNames } from './loaders';
import type { EnforcementCase, PartyRole } from './types';
import { codedError } from '../../lib/errors/codedError';

async function casesOf(id: string, role: PartyRole, { loaders }: CourtContext): Promise<EnforcementCase[]> {
  const refs = (await loaders.casesOfParty.load(id)).filter((r) => r.role === role);
  const cases = await loaders.caseByNumber.loadMany(refs.map((r) => r.caseNumber));
  return cases.map((c) => {
    if (c instanceof Error) throw c;
    if (c === null) throw new Error('the case system listed a case it cannot return');
    return c;
  });
}

/** Bulk entry points are bounded so one request cannot ask every agency for a whole province. */
export const MAX_BULK = 1000;

function bulk(argument: string, keys: string[]): string[] {
  if (keys.length > MAX_BULK) {
    throw codedError('BAD_USER_INPUT', `Argument "${argument}" holds ${keys.length} identifiers; at most ${MAX_BULK} per request.`, { argument });
  }
  return keys;
}

const court = (c: EnforcementCase) => ({ code: c.courtCode, name: c.courtName });

// Typed against the SDL (npm run codegen): parents are the domain values types.ts names.
export const resolvers: Resolvers = {
  Query: {
    case: (_, { caseNumber }, { loaders }) => loaders.caseByNumber.load(caseNumber),
    cases: async (_, args, { client, loaders }) => {
      // `first` has a default in the SDL, so it is always there; the bound is the case system's page.
      const first = args.first ?? 0;
      if (!Number.isInteger(first) || first < 1 || first > COURT_LIMITS.page) {
        throw codedError('BAD_USER_INPUT', `Argument "first" must be between 1 and ${COURT_LIMITS.page}, got ${args.first}.`, { argument: 'first' });
      }
      const start = args.after ? decodeCursor(args.after) : 0;
      const page = await client.docket(args.court, args.status ?? undefined, start, first);
      for (const c of page.cases) {
        loaders.caseByNumber.prime(c.caseNumber, c);
        primePartyNames(loaders.name, c);
      }
      const edges = page.cases.map((node, i) => ({ cursor: encodeCursor(start + i + 1), node }));
      return {
        edges,
        totalCount: page.total,
        pageInfo: { hasNextPage: start + page.cases.length < page.total, endCursor: edges.at(-1)?.cursor ?? null },
      };
    },
    person: (_, { idNumber }) => ({ idNumber }),
    company: (_, { creditCode }) => ({ creditCode }),
    persons: (_, { idNumbers }) => bulk('idNumbers', idNumbers).map((idNumber) => ({ idNumber })),
    companies: (_, { creditCodes }) => bulk('creditCodes', creditCodes).map((creditCode) => ({ creditCode })),
    courts: (_, __, { client }) => client.courts(),
    caseProgress: async (_, { caseNumber }, { loaders }) => {
      const found = await loaders.caseByNumber.load(caseNumber);
      // The gateway let the request through only for an applicant of an existing case.
      if (!found) throw codedError('NOT_FOUND', `The court case system does not know case ${caseNumber}.`);
      return found;
    },
  },
  CaseProgress: {
    __resolveReference: (ref, { loaders }) => loaders.caseByNumber.load(ref.caseNumber),
    court,
    amountDue: (c) => c.amountDueFen,
    outstanding: (c) => c.outstandingFen,
    recovered: (c) => c.amountDueFen - c.outstandingFen,
  },
  EnforcementCase: {
    __resolveReference: (ref, { loaders }) => loaders.caseByNumber.load(ref.caseNumber),
    court,
    amountDue: (c) => c.amountDueFen,
    outstanding: (c) => c.outstandingFen,
  },
  Party: {
    // The case record names each party's kind; it is decided by the key, never an optional typename.
    __resolveType: (party) => ('idNumber' in party ? 'Person' : 'Company'),
  },
  Person: {
    __resolveReference: (ref) => ref,
    name: ({ idNumber }, _, { loaders }) => loaders.name.load(idNumber),
    enforcementCases: ({ idNumber }, { role }, ctx) => casesOf(idNumber, role, ctx),
  },
  Company: {
    __resolveReference: (ref) => ref,
    name: ({ creditCode }, _, { loaders }) => loaders.name.load(creditCode),
    enforcementCases: ({ creditCode }, { role }, ctx) => casesOf(creditCode, role, ctx),
  },
};
