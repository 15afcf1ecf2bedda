import type { ApolloServer } from '@apollo/server';
import { getIntrospectionQuery, type ValidationRule } from 'graphql';
import type { GatewayContext } from '../../../../gateway/context';
import { QUERY_LIMITS_DEFAULTS, queryLimits, type QueryLimitsOptions } from '../../../../gateway/plugins/limits';
import { serveGraphQL, type ServedGraphQL } from '../../../../lib/http/serveGraphQL';
import { courtCaller, makeServer, resolved, run } from '../../../support/gatewayHarness';

const caller = courtCaller('浙0106');
const NAMES = `... on Person { idNumber name } ... on Company { creditCode name }`;
const ASSETS = `bankAccounts { bank { code } accountNumber balance availableBalance } vehicles { vin plateNumber status }
  realEstate { unitNumber ownership owners { share owner { ${NAMES} } } }`;

/** Everything a court asks about a case: both debtors, every asset, two levels of subsidiaries (depth 9). */
const DOSSIER = `query Dossier($case: String!) { case(caseNumber: $case) {
  caseNumber status cause amountDue outstanding filedOn officer court { code name }
  applicants { ${NAMES} }
  debtors { __typename
    ... on Person { idNumber name ${ASSETS}
      shareholdings { ratio subscribedCapital company { creditCode name ${ASSETS}
        shareholdings { ratio company { creditCode name bankAccounts { bank { code } accountNumber balance availableBalance }
          vehicles { vin plateNumber status } realEstate { unitNumber ownership } } } } } }
    ... on Company { creditCode name ${ASSETS}
      shareholders { ratio holder { ${NAMES} } }
      shareholdings { ratio company { creditCode name ${ASSETS}
        shareholdings { ratio company { creditCode name bankAccounts { bank { code } accountNumber balance } } } } } } } } }`;

/** A debtor's subsidiaries three levels down, to their bank accounts: depth 10. */
const WALK_3_LEVELS = `{ case(caseNumber: "(2024)浙0106执1号") { debtors { ... on Person { shareholdings { company {
  shareholdings { company { shareholdings { company { bankAccounts { accountNumber } } } } } } } } } } }`;
/** One level more: depth 11. */
const WALK_TOO_DEEP = WALK_3_LEVELS.replace('bankAccounts { accountNumber }', 'bankAccounts { bank { code } }');
/** The amplifying cycle: company -> shareholders -> holder -> shareholdings -> company -> ... */
const CYCLE = `{ person(idNumber: "330106199001019356") { shareholdings { company { shareholders { holder { ... on Person {
  shareholdings { company { shareholders { holder { ... on Person { shareholdings { company { creditCode } } } } } } } } } } } } } }`;

/** A full docket page (the court subgraph's cap is 100) with every case field and the parties' names. */
const DOCKET_PAGE = `{ cases(court: "浙0106", first: 100) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node {
  caseNumber status cause amountDue outstanding filedOn closedOn officer court { code name }
  applicants { ${NAMES} } debtors { ${NAMES} } } } } }`;
const docketWithAssets = (first: number) => `{ cases(court: "浙0106", first: ${first}) { edges { node { caseNumber
  debtors { ... on Person { idNumber ${ASSETS} } ... on Company { creditCode ${ASSETS} } } } } } }`;

const aliased = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `p${i}: person(idNumber: "33010619900101${String(i).padStart(4, '0')}") { name }`).join(' ')} }`;
const sweep = (n: number) => `{ persons(idNumbers: [${Array.from({ length: n }, (_, i) => `"3301061990${String(i).padStart(8, '0')}"`).join(', ')}]) { idNumber } }`;
/** The amplifier of issue 13: as many `__typename` as the token limit admits (3,000 tokens with the braces). */
const TYPENAMES = `{ ${'__typename '.repeat(2998)}}`;
/** One leaf of a person repeated as often as the token limit admits. */
const LEAVES = `{ person(idNumber: "330106199001019356") { ${'name '.repeat(2990)}} }`;
/** The same, hidden in a fragment no operation uses (graphql-js validates it all the same). */
const UNUSED_FRAGMENT = `{ __typename } fragment F on Query { ${'__typename '.repeat(2990)}}`;
/** `n` selections of a person, names and ID numbers: admitted for a court up to the court's limit. */
const personWith = (n: number) => `{ person(idNumber: "330106199001019356") { ${Array.from({ length: n - 1 }, (_, i) => (i % 2 ? 'name' : 'idNumber')).join(' ')} } }`;
/** What Apollo Sandbox asks before anything else, with every option graphql-js has. */
const INTROSPECTION = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true, oneOf: true });
const directives = (n: number) => `query Q($yes: Boolean = true) { person(idNumber: "330106199001019356") { ${Array.from({ length: n }, () => 'name @include(if: $yes)').join(' ')} } }`;

const refused = (limit: string, message: string) => ({
  status: 400,
  errors: [{ message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit } }],
});
const DEPTH = refused('DEPTH', 'The operation nests its fields too deeply; split the walk into several operations.');
const COST = refused('COST', 'The operation asks for too much at once; select fewer fields, ask for smaller pages, or split it.');
const ALIASES = refused('ALIASES', 'The operation uses too many aliases; look up many persons or companies with `persons` or `companies` instead.');
const TOKENS = refused('TOKENS', 'The operation document is too long; pass values as variables or split it into several operations.');
const DIRECTIVES = refused('DIRECTIVES', 'The operation uses too many directives.');
const ANONYMOUS_COST = refused(
  'COST',
  'The operation asks for too much for a request without a valid token; send the token ("Authorization: Bearer <token>") or select fewer fields.',
);

function withLimits(options?: QueryLimitsOptions, extraRules: ValidationRule[] = []): ApolloServer<GatewayContext> {
  const limits = queryLimits(options);
  return makeServer(limits.plugins, { validationRules: [...limits.validationRules, ...extraRules], parseOptions: limits.parseOptions, allowBatchedHttpRequests: limits.allowBatchedHttpRequests });
}

/** A validation rule that notes every field node the validation walk reaches. */
function fieldsWalked(): { rule: ValidationRule; seen: () => number; reset: () => void } {
  let seen = 0;
  return { rule: () => ({ Field: () => void seen++ }), seen: () => seen, reset: () => void (seen = 0) };
}

describe('query limits', () => {
  const server = withLimits();
  beforeAll(() => server.start());
  afterAll(() => server.stop());
  beforeEach(() => void resolved.splice(0));

  describe('admit the documented court operations', () => {
    it('the full case dossier with two levels of subsidiaries', async () => {
      const answer = await run(server, DOSSIER, { caller, variables: { case: '(2024)浙0106执1号' } });
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.case).toMatchObject({ caseNumber: '(2024)浙0106执1号', debtors: [{ __typename: 'Person' }, { __typename: 'Company' }] });
    });

    it('a walk three levels down a debtor\'s subsidiaries (depth 10)', async () => {
      const answer = await run(server, WALK_3_LEVELS, { caller });
      expect(answer.errors).toBeUndefined();
    });

    it('a full docket page with every case field and the parties\' names', async () => {
      const answer = await run(server, DOCKET_PAGE, { caller });
      expect(answer.errors).toBeUndefined();
      expect((answer.data!.cases as { edges: unknown[] }).edges).toHaveLength(100);
    });

    it('a docket page of 20 cases with every debtor\'s assets', async () => {
      expect((await run(server, docketWithAssets(20), { caller })).errors).toBeUndefined();
    });

    it('a 1000-person sweep written out as literals, and 10 aliases', async () => {
      expect((await run(server, sweep(1000), { caller })).data!.persons).toHaveLength(1000);
      expect((await run(server, aliased(10), { caller })).errors).toBeUndefined();
    });
  });

  describe('refuse before anything runs, with GRAPHQL_VALIDATION_FAILED and the limit named', () => {
    it.each([
      ['a walk one level deeper (depth 11)', WALK_TOO_DEEP, DEPTH],
      ['the shareholders/shareholdings cycle', CYCLE, DEPTH],
      ['a docket page of 100 with every debtor\'s assets', docketWithAssets(100), COST],
      ['11 aliases', aliased(11), ALIASES],
      ['a document of more tokens than a 1000-person sweep needs', sweep(3000), TOKENS],
      ['21 directives', directives(21), DIRECTIVES],
      ['3,000 `__typename`', TYPENAMES, COST],
      ['a leaf repeated 3,000 times', LEAVES, COST],
      ['3,000 `__typename` in a fragment no operation uses', UNUSED_FRAGMENT, COST],
    ])('%s', async (_, query, expected) => {
      const answer = await run(server, query, { caller });
      expect(answer).toEqual({ ...expected, headers: expect.any(Object) });
      expect(resolved).toEqual([]);
    });

    it('never state the configured limits', async () => {
      for (const [query, as] of [
        ...[WALK_TOO_DEEP, docketWithAssets(100), aliased(11), sweep(3000), directives(21), TYPENAMES, LEAVES].map((q) => [q, caller] as const),
        [TYPENAMES, undefined],
        [personWith(400), undefined],
      ] as const) {
        const [error] = (await run(server, query, { caller: as })).errors!;
        expect(error!.message).not.toMatch(/\d/);
        expect(JSON.stringify(error!.extensions)).not.toMatch(/\d/);
      }
    });
  });

  describe('count every selection, before any other validation rule walks the document', () => {
    it('refuses 3,000 `__typename` with or without a token, with the limit refusal', async () => {
      expect(await run(server, TYPENAMES, { caller })).toEqual({ ...COST, headers: expect.any(Object) });
      expect(await run(server, TYPENAMES)).toEqual({ ...COST, headers: expect.any(Object) });
    });

    it('hands no other rule a selection of a refused document', async () => {
      const walked = fieldsWalked();
      const watched = withLimits({}, [walked.rule]);
      try {
        await run(watched, personWith(100), { caller });
        expect(walked.seen()).toBe(100);
        for (const [query, as] of [[TYPENAMES, caller], [LEAVES, caller], [UNUSED_FRAGMENT, caller], [TYPENAMES, undefined], [personWith(400), undefined]] as const) {
          walked.reset();
          expect((await run(watched, query, { caller: as })).errors?.[0]?.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'COST' });
          expect(walked.seen()).toBe(0);
        }
      } finally {
        await watched.stop();
      }
    });

    it('admits a court up to its limit', async () => {
      expect((await run(server, personWith(QUERY_LIMITS_DEFAULTS.maxSelections), { caller })).errors).toBeUndefined();
      expect(await run(server, personWith(QUERY_LIMITS_DEFAULTS.maxSelections + 1), { caller })).toEqual({ ...COST, headers: expect.any(Object) });
    });
  });

  describe('hold a request without a verified caller to much tighter limits', () => {
    const anonymousMax = () => QUERY_LIMITS_DEFAULTS.anonymous.maxSelections;

    it('refuses what a court may ask, saying a token is what is missing', async () => {
      expect((await run(server, personWith(400), { caller })).errors).toBeUndefined();
      expect(await run(server, personWith(400))).toEqual({ ...ANONYMOUS_COST, headers: expect.any(Object) });
      expect(resolved).toEqual(['person']);
    });

    it('admits small anonymous operations, and the introspection Apollo Sandbox sends', async () => {
      expect((await run(server, personWith(anonymousMax()))).errors).toBeUndefined();
      expect(await run(server, personWith(anonymousMax() + 1))).toEqual({ ...ANONYMOUS_COST, headers: expect.any(Object) });
      const introspection = await run(server, INTROSPECTION);
      expect(introspection.errors).toBeUndefined();
      expect(introspection.data).toHaveProperty('__schema.queryType.name', 'Query');
    });

    it('also for a document already validated for a court (Apollo Server skips validating it again)', async () => {
      const text = `${personWith(400)} # cached`;
      expect((await run(server, text, { caller })).errors).toBeUndefined();
      resolved.splice(0);
      expect(await run(server, text)).toEqual({ ...ANONYMOUS_COST, headers: expect.any(Object) });
      expect(resolved).toEqual([]);
    });

    it('not when told there is nothing to authorize (every caller is anonymous on a supergraph without access rules)', async () => {
      const open = withLimits({ anonymous: false });
      try {
        expect((await run(open, personWith(400))).errors).toBeUndefined();
        expect(await run(open, TYPENAMES)).toEqual({ ...COST, headers: expect.any(Object) });
      } finally {
        await open.stop();
      }
    });
  });

  it('takes its limits from options; unstated ones keep their defaults', async () => {
    expect(QUERY_LIMITS_DEFAULTS).toEqual({ maxDepth: 10, maxCost: 20_000, maxSelections: 500, maxAliases: 10, maxTokens: 3_000, maxDirectives: 20, anonymous: { maxSelections: 150 } });
    const strict = withLimits({ maxDepth: 2, maxAliases: undefined });
    const few = withLimits({ maxSelections: 3, anonymous: { maxSelections: 2 } });
    try {
      expect(await run(strict, '{ person(idNumber: "330106199001019356") { name } }', { caller })).toMatchObject({ data: { person: { name: 'Zhang San' } } });
      expect(await run(strict, '{ person(idNumber: "330106199001019356") { vehicles { vin } } }', { caller })).toEqual({ ...DEPTH, headers: expect.any(Object) });
      expect(await run(strict, aliased(11), { caller })).toEqual({ ...ALIASES, headers: expect.any(Object) });
      expect(await run(few, '{ person(idNumber: "330106199001019356") { idNumber name } }', { caller })).toMatchObject({ data: { person: { name: 'Zhang San' } } });
      expect(await run(few, '{ person(idNumber: "330106199001019356") { idNumber name __typename } }', { caller })).toEqual({ ...COST, headers: expect.any(Object) });
      expect(await run(few, '{ person(idNumber: "330106199001019356") { name } }')).toMatchObject({ data: { person: { name: 'Zhang San' } } });
      expect(await run(few, '{ person(idNumber: "330106199001019356") { idNumber name } }')).toEqual({ ...ANONYMOUS_COST, headers: expect.any(Object) });
    } finally {
      await strict.stop();
      await few.stop();
    }
  });

  describe('hide field suggestions', () => {
    it.each([
      ['a misspelt field', '{ person(idNumber: "330106199001019356") { nam } }', 'Cannot query field "nam" on type "Person".', 'GRAPHQL_VALIDATION_FAILED'],
      ['a misspelt argument', '{ cases(court: "浙0106", firts: 5) { totalCount } }', 'Unknown argument "firts" on field "Query.cases".', 'GRAPHQL_VALIDATION_FAILED'],
      ['a misspelt enum literal', '{ cases(court: "浙0106", status: ACTIV) { totalCount } }', 'Value "ACTIV" does not exist in "CaseStatus" enum.', 'GRAPHQL_VALIDATION_FAILED'],
      ['a misspelt type', '{ case(caseNumber: "x") { debtors { ... on Persn { idNumber } } } }', 'Unknown type "Persn".', 'GRAPHQL_VALIDATION_FAILED'],
    ])('%s', async (_, query, message, code) => {
      const answer = await run(server, query, { caller });
      expect(answer.errors).toEqual([{ message, locations: expect.any(Array), extensions: { code } }]);
    });

    it('in variable values refused while executing', async () => {
      const answer = await run(server, 'query Docket($s: CaseStatus) { cases(court: "浙0106", status: $s) { totalCount } }', { caller, variables: { s: 'ACTIV' } });
      expect(answer.errors).toEqual([
        {
          message: 'Variable "$s" got invalid value "ACTIV"; Value "ACTIV" does not exist in "CaseStatus" enum.',
          locations: expect.any(Array),
          extensions: { code: 'BAD_USER_INPUT' },
        },
      ]);
    });
  });

  describe('over HTTP', () => {
    let served: ServedGraphQL;
    beforeAll(async () => {
      const limits = queryLimits();
      served = await serveGraphQL<GatewayContext>({
        context: async () => ({ requestId: 'req-http', caller }),
        createServer: (plugins) => makeServer([...plugins, ...limits.plugins], { ...limits }),
      });
    });
    afterAll(() => served.stop());

    const post = async (body: unknown) => {
      const response = await fetch(served.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: response.status, body: await response.json() };
    };

    it('refuses a batch of operations in one request (BAD_REQUEST, 400)', async () => {
      const one = { query: '{ person(idNumber: "330106199001019356") { name } }' };
      expect(await post([one, one])).toEqual({
        status: 400,
        body: { errors: [{ message: 'Operation batching disabled.', extensions: { code: 'BAD_REQUEST' } }] },
      });
      expect(resolved).toEqual([]);
      expect(await post(one)).toEqual({ status: 200, body: { data: { person: { name: 'Zhang San' } } } });
    });

    it('answers a limit refusal with 400', async () => {
      expect(await post({ query: WALK_TOO_DEEP })).toEqual({ status: 400, body: { errors: DEPTH.errors } });
      expect(await post({ query: sweep(3000) })).toEqual({ status: 400, body: { errors: TOKENS.errors } });
    });
  });
});
