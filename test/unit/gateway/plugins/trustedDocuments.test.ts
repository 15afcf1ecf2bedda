import { ApolloServer } from '@apollo/server';
import { Registry } from 'prom-client';
import type { GatewayContext } from '../../../../gateway/context';
import { type TrustedDocumentMode, trustedDocumentsPlugin } from '../../../../gateway/plugins/trustedDocuments';
import { createLogger } from '../../../../lib/log/logger';
import { buildTrustedDocumentManifest, documentHash } from '../../../../schemas/trustedDocumentManifest';

const KNOWN = 'query Known { hello }';
const UNKNOWN = 'query Unknown { hello }';
const manifest = buildTrustedDocumentManifest([{ source: 'test', text: KNOWN }]);

function gatewayWith(mode: TrustedDocumentMode) {
  const lines: Record<string, unknown>[] = [];
  const registry = new Registry();
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
  const ran: string[] = [];
  const server = new ApolloServer<GatewayContext>({
    typeDefs: 'type Query { hello: String }',
    resolvers: { Query: { hello: (_: unknown, __: unknown, _c: unknown, info: { operation: { name?: { value: string } } }) => (ran.push(info.operation.name?.value ?? ''), 'hi') } },
    plugins: [trustedDocumentsPlugin({ mode, manifest, logger, registry })],
  });
  const send = async (request: { query?: string; extensions?: Record<string, unknown> }) => {
    const response = await server.executeOperation(request, { contextValue: { requestId: 'req-1' } as GatewayContext });
    const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
    return { status: response.http.status ?? 200, data: result?.data, errors: result?.errors };
  };
  const counted = async (document: string) => (await registry.getSingleMetric('cag_gateway_documents_total')!.get()).values.find((v) => v.labels.document === document && v.labels.mode === mode)?.value ?? 0;
  return { server, send, lines, ran, counted };
}

const byHash = (text: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: documentHash(text) } } });

describe.each(['log', 'enforce'] as const)('trusted documents in %s mode', (mode) => {
  it('runs a document of the manifest sent as its text, and sent as its hash only (the manifest text runs)', async () => {
    const g = gatewayWith(mode);
    expect(await g.send({ query: KNOWN })).toEqual({ status: 200, data: { hello: 'hi' }, errors: undefined });
    expect(await g.send(byHash(KNOWN))).toEqual({ status: 200, data: { hello: 'hi' }, errors: undefined });
    expect(g.ran).toEqual(['Known', 'Known']);
    expect(await g.counted('trusted')).toBe(2);
    expect(g.lines.filter((l) => l.msg === 'untrusted document')).toEqual([]);
  });
});

describe('off mode', () => {
  it('runs every document and counts nothing, its series still exposed', async () => {
    const g = gatewayWith('off');
    expect(await g.send({ query: UNKNOWN })).toEqual({ status: 200, data: { hello: 'hi' }, errors: undefined });
    expect(await g.counted('untrusted')).toBe(0);
    expect(g.lines).toEqual([]);
  });
});

describe('log mode', () => {
  it('runs an unknown document, logs its hash (not its text) and counts it', async () => {
    const g = gatewayWith('log');
    expect(await g.send({ query: UNKNOWN })).toEqual({ status: 200, data: { hello: 'hi' }, errors: undefined });
    const logged = g.lines.filter((l) => l.msg === 'untrusted document');
    expect(logged).toEqual([expect.objectContaining({ requestId: 'req-1', documentHash: documentHash(UNKNOWN), mode: 'log' })]);
    expect(JSON.stringify(logged)).not.toContain('hello');
    expect(await g.counted('untrusted')).toBe(1);
  });
});

describe('enforce mode', () => {
  const refusal = (hash: string) => ({
    status: 400,
    data: undefined,
    errors: [{ message: expect.stringMatching(/not one this gateway trusts/), extensions: { code: 'UNTRUSTED_DOCUMENT', documentHash: hash } }],
  });

  it('refuses an unknown text with UNTRUSTED_DOCUMENT (400) before anything of it runs', async () => {
    const g = gatewayWith('enforce');
    expect(await g.send({ query: UNKNOWN })).toEqual(refusal(documentHash(UNKNOWN)));
    expect(g.ran).toEqual([]);
    expect(await g.counted('untrusted')).toBe(1);
  });

  it('refuses a text that does not even parse with the same code (it is never parsed)', async () => {
    const g = gatewayWith('enforce');
    expect(await g.send({ query: '{ not graphql' })).toEqual(refusal(documentHash('{ not graphql')));
  });

  it('refuses a hash that is not in the manifest with the same code, not PERSISTED_QUERY_NOT_FOUND', async () => {
    const g = gatewayWith('enforce');
    expect(await g.send(byHash(UNKNOWN))).toEqual(refusal(documentHash(UNKNOWN)));
    expect(g.lines.filter((l) => l.msg === 'untrusted document')).toEqual([expect.objectContaining({ documentHash: documentHash(UNKNOWN), mode: 'enforce' })]);
  });

  it('refuses a known hash sent beside another text (the text is what would run)', async () => {
    const g = gatewayWith('enforce');
    const answer = await g.send({ query: UNKNOWN, ...byHash(KNOWN) });
    expect(answer).toEqual(refusal(documentHash(UNKNOWN)));
  });
});
