/**
 * The HTTP layer the gateway and every subgraph share (lib/http/serveGraphQL.ts): GraphQL over POST
 * and GET, the body limit, malformed bodies, unknown paths, health and readiness, the
 * admission hook and its scope. HTTP failures carry their status and never a stack trace.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { ApolloServer } from '@apollo/server';
import { serveGraphQL, type ServedGraphQL } from '../../../../lib/http/serveGraphQL';

const scope = new AsyncLocalStorage<string>();
const typeDefs = 'type Query { hello(name: String): String! scoped: String }';
const resolvers = { Query: { hello: (_: unknown, { name }: { name?: string }) => `hello ${name ?? 'court'}`, scoped: () => scope.getStore() ?? null } };

let served: ServedGraphQL;
let ready = true;
const origin = () => served.url.replace('/graphql', '');

beforeAll(async () => {
  served = await serveGraphQL({
    createServer: (plugins) => new ApolloServer({ typeDefs, resolvers, plugins }),
    context: async () => ({}),
    bodyLimit: '2kb',
    admit: async (req) =>
      req.headers['x-refuse'] ? { admitted: false, status: 429, body: { refused: true } } : { admitted: true, within: (next) => scope.run('inside', next) },
    readiness: async () => ({ ready, checks: { store: ready ? 'up' : 'down' } }),
  });
});
afterAll(() => served.stop());

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(served.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('serveGraphQL', () => {
  it('answers GraphQL over POST, inside the scope the admission gave', async () => {
    const response = await post(JSON.stringify({ query: '{ hello(name: "浙0106") scoped }' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ data: { hello: 'hello 浙0106', scoped: 'inside' } });
  });

  it('answers a GET query with its query string', async () => {
    const response = await fetch(`${served.url}?query=${encodeURIComponent('{ hello }')}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { hello: 'hello court' } });
  });

  it('serves Apollo Server\'s landing page (Sandbox) to a browser', async () => {
    const response = await fetch(served.url, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toMatch(/<html/i);
  });

  it('answers a refused admission with its status and body, before reading the body', async () => {
    const response = await post('{ not even json', { 'x-refuse': '1' });
    expect(response.status).toBe(429);
    expect(await response.json()).toEqual({ refused: true });
  });

  it('refuses a body that is not JSON with 400, and one over the limit with 413, without a stack trace', async () => {
    const malformed = await post('{ "query": ');
    expect(malformed.status).toBe(400);
    const malformedText = await malformed.text();
    expect(malformedText).not.toMatch(/\bat \S+ \(|node_modules|SyntaxError/);

    const large = await post(JSON.stringify({ query: `{ hello(name: "${'x'.repeat(4000)}") }` }));
    expect(large.status).toBe(413);
    expect(await large.text()).not.toMatch(/\bat \S+ \(|node_modules/);
  });

  it('leaves a POST that is not JSON to Apollo Server, which says what is wrong', async () => {
    const response = await fetch(served.url, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<hello/>' });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/POST body missing, invalid Content-Type/);
  });

  it('answers 404 for any other path', async () => {
    const response = await fetch(`${origin()}/nothing-here`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toMatch(/node_modules/);
  });

  it('/healthz is alive; /readyz says ready or not with its checks', async () => {
    const health = await fetch(`${origin()}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    const readyAnswer = await fetch(`${origin()}/readyz`);
    expect(readyAnswer.status).toBe(200);
    expect(await readyAnswer.json()).toEqual({ status: 'ready', checks: { store: 'up' } });

    ready = false;
    const notReady = await fetch(`${origin()}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({ status: 'not ready', checks: { store: 'down' } });
    ready = true;
  });
});
