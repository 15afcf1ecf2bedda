import type { GraphQLResolverMap } from '../shared/resolverMap';
import { COURT_LIMITS } from './client';
import type { CourtContext } from './context';
import { decodeCursor, encodeCursor } from './cursor';
import { type CourtLoaders, primePartyNames } from './loaders';
import type { CaseStatus, EnforcementCase, PartyRole } from './types';
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

export const resolvers: GraphQLResolverMap<CourtContext> = {
  Query: {
    case: (_: unknown, { caseNumber }: { caseNumber: string }, { loaders }: CourtContext) => loaders.caseByNumber.load(caseNumber),
    cases: async (
      _: unknown,
      args: { court: string; status?: CaseStatus | null; first: number; after?: string | null },
      { client, loaders }: CourtContext,
    ) => {
      if (!Number.isInteger(args.first) || args.first < 1 || args.first > COURT_LIMITS.page) {
        throw codedError('BAD_USER_INPUT', `Argument "first" must be between 1 and ${COURT_LIMITS.page}, got ${args.first}.`, { argument: 'first' });
      }
      const start = args.after ? decodeCursor(args.after) : 0;
      const page = await client.docket(args.court, args.status ?? undefined, start, args.first);
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
    person: (_: unknown, { idNumber }: { idNumber: string }) => ({ idNumber }),
    company: (_: unknown, { creditCode }: { creditCode: string }) => ({ creditCode }),
    persons: (_: unknown, { idNumbers }: { idNumbers: string[] }) => bulk('idNumbers', idNumbers).map((idNumber) => ({ idNumber })),
    companies: (_: unknown, { creditCodes }: { creditCodes: string[] }) => bulk('creditCodes', creditCodes).map((creditCode) => ({ creditCode })),
    courts: (_: unknown, __: unknown, { client }: CourtContext) => client.courts(),
    caseProgress: async (_: unknown, { caseNumber }: { caseNumber: string }, { loaders }: CourtContext) => {
      const found = await loaders.caseByNumber.load(caseNumber);
      // The gateway let the request through only for an applicant of an existing case.
      if (!found) throw codedError('NOT_FOUND', `The court case system does not know case ${caseNumber}.`);
      return found;
    },
  },
  CaseProgress: {
    __resolveReference: (ref: { caseNumber: string }, { loaders }: CourtContext) => loaders.caseByNumber.load(ref.caseNumber),
    court: (c: EnforcementCase) => ({ code: c.courtCode, name: c.courtName }),
    amountDue: (c: EnforcementCase) => c.amountDueFen,
    outstanding: (c: EnforcementCase) => c.outstandingFen,
    recovered: (c: EnforcementCase) => c.amountDueFen - c.outstandingFen,
  },
  EnforcementCase: {
    __resolveReference: (ref: { caseNumber: string }, { loaders }: CourtContext) => loaders.caseByNumber.load(ref.caseNumber),
    court: (c: EnforcementCase) => ({ code: c.courtCode, name: c.courtName }),
    amountDue: (c: EnforcementCase) => c.amountDueFen,
    outstanding: (c: EnforcementCase) => c.outstandingFen,
  },
  Party: {
    __resolveType: (party: { idNumber?: string }) => (party.idNumber === undefined ? 'Company' : 'Person'),
  },
  Person: {
    __resolveReference: (ref: { idNumber: string }) => ref,
    name: ({ idNumber }: { idNumber: string }, _: unknown, { loaders }: CourtContext) => loaders.name.load(idNumber),
    enforcementCases: ({ idNumber }: { idNumber: string }, { role }: { role: PartyRole }, ctx: CourtContext) => casesOf(idNumber, role, ctx),
  },
  Company: {
    __resolveReference: (ref: { creditCode: string }) => ref,
    name: ({ creditCode }: { creditCode: string }, _: unknown, { loaders }: CourtContext) => loaders.name.load(creditCode),
    enforcementCases: ({ creditCode }: { creditCode: string }, { role }: { role: PartyRole }, ctx: CourtContext) => casesOf(creditCode, role, ctx),
  },
};
