/**
 * The gateway runs any Federation 2 supergraph it is configured with, and its additions
 * (transport, shared reads, limits, authorization, audit) never change what an operation
 * answers: on a small products + reviews supergraph (entities across both subgraphs, an
 * interface, a union, @requires, @provides, nested entity fetches, a mutation, errors at the
 * root and deep in an entity fetch) every answer, data and errors and HTTP status, is the
 * one bare Apollo Gateway gives.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { AUTH_DEFAULTS } from '../../../gateway/auth/authConfig';
import { randomSubgraphSecret } from '../../../gateway/config';
import { type RunningGateway, startGateway } from '../../../gateway/createGateway';

const PRODUCTS = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

  interface Product { upc: ID! name: String! price: Int! }
  type Book implements Product @key(fields: "upc") { upc: ID! name: String! price: Int! weight: Int! pages: Int! }
  type Furniture implements Product @key(fields: "upc") { upc: ID! name: String! price: Int! weight: Int! material: String! }
  type User @key(fields: "id") { id: ID! username: String! @shareable name: String! }
  union SearchResult = Book | Furniture | User

  type Query {
    topProducts(first: Int = 5): [Product!]!
    product(upc: ID!): Product
    user(id: ID!): User
    search(text: String!): [SearchResult!]!
    failingProduct: Product
  }
  type Mutation { setPrice(upc: ID!, price: Int!): Product }
`);

const REVIEWS = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires", "@provides"])

  type Book @key(fields: "upc") {
    upc: ID!
    price: Int! @external
    weight: Int! @external
    shippingEstimate: Int! @requires(fields: "price weight")
    reviews: [Review!]!
  }
  type Furniture @key(fields: "upc") { upc: ID! reviews: [Review!]! }
  type Review @key(fields: "id") { id: ID! body: String! rating: Int! author: User! @provides(fields: "username") product: Book! }
  type User @key(fields: "id") { id: ID! username: String! @external reviews: [Review!]! }
  type Query { review(id: ID!): Review latestReviews(first: Int = 3): [Review!]! }
`);

interface ProductRow { __typename: 'Book' | 'Furniture'; upc: string; name: string; price: number; weight: number; pages?: number; material?: string }
const products: ProductRow[] = [
  { __typename: 'Book', upc: 'b1', name: 'Dune', price: 10, weight: 2, pages: 412 },
  { __typename: 'Book', upc: 'b2', name: 'Neuromancer', price: 8, weight: 1, pages: 271 },
  { __typename: 'Furniture', upc: 'f1', name: 'Chair', price: 50, weight: 7, material: 'oak' },
];
const users = [
  { id: 'u1', username: 'ada', name: 'Ada Lovelace' },
  { id: 'u2', username: 'grace', name: 'Grace Hopper' },
];
const reviews = [
  { id: 'r1', product: 'b1', author: 'u1', body: 'A classic.', rating: 5 },
  { id: 'r2', product: 'b1', author: 'u2', body: 'Long.', rating: 3 },
  { id: 'r3', product: 'b2', author: 'u1', body: null, rating: 4 },
];

const productResolvers = {
  Query: {
    topProducts: (_: unknown, { first }: { first: number }) => products.slice(0, first),
    product: (_: unknown, { upc }: { upc: string }) => products.find((p) => p.upc === upc) ?? null,
    user: (_: unknown, { id }: { id: string }) => users.find((u) => u.id === id) ?? null,
    search: (_: unknown, { text }: { text: string }) => [
      ...products.filter((p) => p.name.toLowerCase().includes(text)),
      ...users.filter((u) => u.username.includes(text)).map((u) => ({ __typename: 'User', ...u })),
    ],
    failingProduct: () => {
      throw new Error('The product catalogue is being rebuilt.');
    },
  },
  Mutation: {
    setPrice: (_: unknown, { upc, price }: { upc: string; price: number }) => {
      const product = products.find((p) => p.upc === upc);
      if (product) product.price = price;
      return product ?? null;
    },
  },
  Product: { __resolveType: (p: ProductRow) => p.__typename },
  SearchResult: { __resolveType: (r: { __typename: string }) => r.__typename },
  Book: { __resolveReference: ({ upc }: { upc: string }) => products.find((p) => p.upc === upc) },
  Furniture: { __resolveReference: ({ upc }: { upc: string }) => products.find((p) => p.upc === upc) },
  User: { __resolveReference: ({ id }: { id: string }) => users.find((u) => u.id === id) },
};

const asReview = (r: (typeof reviews)[number]) => ({
  ...r,
  author: { __typename: 'User', id: r.author, username: users.find((u) => u.id === r.author)!.username },
  product: { __typename: 'Book', upc: r.product },
});

const reviewResolvers = {
  Query: {
    review: (_: unknown, { id }: { id: string }) => {
      const r = reviews.find((x) => x.id === id);
      return r ? asReview(r) : null;
    },
    latestReviews: (_: unknown, { first }: { first: number }) => [...reviews].reverse().slice(0, first).map(asReview),
  },
  Review: {
    body: (r: { body: string | null }) => {
      if (r.body === null) throw new Error('This review is withheld by moderation.');
      return r.body;
    },
  },
  Book: {
    __resolveReference: (ref: { upc: string; price?: number; weight?: number }) => ref,
    shippingEstimate: ({ price, weight }: { price: number; weight: number }) => (price >= 10 ? 0 : weight * 3),
    reviews: ({ upc }: { upc: string }) => reviews.filter((r) => r.product === upc).map(asReview),
  },
  Furniture: { reviews: () => [] },
  User: { reviews: ({ id }: { id: string }) => reviews.filter((r) => r.author === id).map(asReview) },
};

/** Operations, each with variables; every one is sent to both gateways and the answers compared whole. */
const OPERATIONS: { name: string; query: string; variables?: Record<string, unknown> }[] = [
  {
    name: 'interface with fragments, nested entity fetches across both subgraphs, @requires, an error deep inside',
    query: `{ topProducts {
      __typename upc name price
      ... on Book { pages shippingEstimate reviews { id body rating author { username name reviews { id product { name } } } } }
      ... on Furniture { material reviews { id } }
    } }`,
  },
  {
    name: '@provides (username from reviews), then products for the rest, then @requires back in reviews',
    query: '{ latestReviews(first: 3) { id rating author { id username name } product { upc name price shippingEstimate } } }',
  },
  { name: 'union with an interface fragment', query: '{ search(text: "a") { __typename ... on Product { upc name } ... on User { username reviews { rating } } } }' },
  {
    name: 'variables, aliases, a miss, @include/@skip',
    query: `query Two($upc: ID!, $withReviews: Boolean!, $plain: Boolean!) {
      a: product(upc: $upc) { name ... on Book { reviews @include(if: $withReviews) { rating } } }
      b: product(upc: "nope") { name }
      c: product(upc: "f1") { name price @skip(if: $plain) }
    }`,
    variables: { upc: 'b1', withReviews: true, plain: true },
  },
  { name: 'an error at the root', query: '{ failingProduct { name } topProducts(first: 1) { name } }' },
  { name: 'an entity fetched by key from the other subgraph', query: '{ review(id: "r2") { body author { name } product { name weight shippingEstimate } } }' },
  { name: 'a mutation followed by an entity fetch (@requires)', query: 'mutation { setPrice(upc: "b2", price: 8) { upc price ... on Book { shippingEstimate reviews { id } } } }' },
  { name: '__typename only', query: '{ __typename }' },
  { name: 'introspection', query: '{ __type(name: "Book") { name fields { name type { name kind ofType { name } } } } }' },
  { name: 'a required variable missing', query: 'query($upc: ID!) { product(upc: $upc) { name } }' },
  { name: 'a variable of the wrong type', query: 'query($first: Int) { topProducts(first: $first) { name } }', variables: { first: 'many' } },
  { name: 'an unknown field (nothing to suggest)', query: '{ zzqqxx }' },
  { name: 'a syntax error', query: '{ topProducts { name ' },
  { name: 'a named operation sent without its name', query: 'query A { __typename }', variables: {} },
];

interface Answer {
  status: number;
  body: unknown;
}

async function post(url: string, operation: { query: string; variables?: Record<string, unknown> }, operationName?: string): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...operation, ...(operationName ? { operationName } : {}) }),
  });
  return { status: response.status, body: await response.json() };
}

describe('any Federation 2 supergraph, answered as bare Apollo Gateway answers it', () => {
  const subgraphServers: ApolloServer[] = [];
  let bare: ApolloServer;
  let bareUrl: string;
  let ours: RunningGateway;
  let dir: string;

  beforeAll(async () => {
    const urls: Record<string, string> = {};
    for (const [name, typeDefs, resolvers] of [
      ['products', PRODUCTS, productResolvers],
      ['reviews', REVIEWS, reviewResolvers],
    ] as const) {
      const server = new ApolloServer({
        schema: buildSubgraphSchema({ typeDefs, resolvers: resolvers as never }),
        includeStacktraceInErrorResponses: false,
        plugins: [ApolloServerPluginInlineTraceDisabled()],
      });
      const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
      subgraphServers.push(server);
      urls[name] = url;
    }
    const composed = composeServices([
      { name: 'products', typeDefs: PRODUCTS, url: urls.products! },
      { name: 'reviews', typeDefs: REVIEWS, url: urls.reviews! },
    ]);
    if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
    dir = mkdtempSync(join(tmpdir(), 'any-supergraph-'));
    const supergraphPath = join(dir, 'supergraph.graphql');
    writeFileSync(supergraphPath, composed.supergraphSdl);

    bare = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl: composed.supergraphSdl }), includeStacktraceInErrorResponses: false });
    bareUrl = (await startStandaloneServer(bare, { listen: { port: 0, host: '127.0.0.1' } })).url;
    ours = await startGateway({
      port: 0,
      host: '127.0.0.1',
      production: false,
      supergraphPath,
      subgraphUrls: {},
      subgraphSecret: randomSubgraphSecret(),
      auth: { ...AUTH_DEFAULTS, production: false },
      auditDatabaseUrl: undefined,
      redisUrl: undefined,
    });
  });

  afterAll(async () => {
    await ours?.stop();
    await bare?.stop();
    for (const server of subgraphServers) await server.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('warms nothing it cannot run: the court operations are skipped on this supergraph', () => {
    expect(ours.warmUp.warmed).toEqual([]);
    expect(ours.warmUp.skipped.map((s) => s.operation)).toEqual(['Dossier', 'Sweep', 'CaseSearch', 'CaseProgress', 'Seal']);
  });

  it.each(OPERATIONS.map((o) => [o.name, o] as const))('%s', async (_name, operation) => {
    const expected = await post(bareUrl, operation);
    const answer = await post(ours.url, operation);
    expect(answer).toEqual(expected);
  });

  it('answers a wrong operation name with a coded 400 (bare Apollo Gateway: a 500), a right one as bare Apollo Gateway does', async () => {
    const operation = { query: 'query A { __typename } query B { topProducts { name } }' };
    expect(await post(ours.url, operation, 'B')).toEqual(await post(bareUrl, operation, 'B'));
    expect(await post(ours.url, operation, 'C')).toEqual({
      status: 400,
      body: { errors: [{ message: 'The document has no operation named "C".', extensions: { code: 'OPERATION_NOT_FOUND' } }] },
    });
  });

  it('answers identical concurrent reads (shared in flight) exactly as bare Apollo Gateway answers each', async () => {
    const operation = OPERATIONS[0]!;
    const expected = await post(bareUrl, operation);
    const shared = ours.stats().sharedReads;
    const answers = await Promise.all(Array.from({ length: 12 }, () => post(ours.url, operation)));
    for (const answer of answers) expect(answer).toEqual(expected);
    expect(ours.stats().sharedReads).toBeGreaterThan(shared);
  });

  it('answers a subgraph that is down as bare Apollo Gateway does', async () => {
    await subgraphServers[1]!.stop();
    const operation = { query: '{ topProducts(first: 2) { name ... on Book { reviews { id } } } }' };
    const expected = await post(bareUrl, operation);
    expect(expected.body).toMatchObject({ data: null, errors: [expect.objectContaining({ message: expect.stringContaining('ECONNREFUSED') })] });
    expect(await post(ours.url, operation)).toEqual(expected);
  });

  it('still audits every request, as anonymous', async () => {
    const before = await ours.audit.verify();
    await post(ours.url, OPERATIONS[1]!);
    // Its intent (it reaches subgraphs) and its outcome.
    await expect(ours.audit.verify()).resolves.toEqual({ ok: true, count: before.count + 2 });
  });
});
