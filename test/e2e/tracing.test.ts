/**
 * Traces through the whole stack (issue 15): one court request is one trace, from the gateway's
 * SERVER span through Apollo Gateway's own spans, each subgraph call (CLIENT at the gateway,
 * SERVER at the subgraph) to each agency call, with the `traceparent` reaching the agencies;
 * nothing in any span names a person in full; the request's log line carries the trace id.
 * Spans are read from an in-memory exporter behind the same masking as the OTLP one.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { ExportResult } from '@opentelemetry/core';
import { maskIdentifiers } from '../../lib/log/maskIdentifiers';
import { ATTR, TRACER } from '../../lib/tracing/spanNames';
import type { PartyRef } from '../../mocks/population';
import { caseVariables, DOSSIER } from '../../schemas/courtOperations';
import { officerHeaders } from '../support/courtRequest';
import { postGraphQL } from '../support/postGraphQL';
import { REPO_ROOT } from '../support/repoRoot';
import { signedHeaders, TEST_SUBGRAPH_SECRET } from '../support/signedHeaders';
import { useStack } from '../support/stack';

/** The exporter, and a way to wait for a span that has not ended yet (a server span ends once its answer is written). */
class SpanCollector extends InMemorySpanExporter {
  private waiting: { test(span: ReadableSpan): boolean; found(span: ReadableSpan): void }[] = [];

  override export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    super.export(spans, done);
    for (const span of spans) {
      for (const waiter of this.waiting.filter((w) => w.test(span))) {
        this.waiting = this.waiting.filter((w) => w !== waiter);
        waiter.found(span);
      }
    }
  }

  waitFor(test: (span: ReadableSpan) => boolean): Promise<ReadableSpan> {
    const ended = this.getFinishedSpans().find(test);
    return ended ? Promise.resolve(ended) : new Promise((found) => this.waiting.push({ test, found }));
  }
}

const spans = new SpanCollector();
const lines: string[] = [];
const stack = useStack({
  tracing: { serviceName: 'court-asset-graph-test', exporter: spans },
  logLevel: 'info',
  logDestination: { write: (line: string) => void lines.push(line) },
});

const AGENCY_SUBGRAPHS = ['bank', 'commerce', 'court', 'realestate', 'social-insurance', 'vehicle'];
const idOf = (span: ReadableSpan) => span.spanContext().spanId;
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

/** A court's own trace context, as its case system would send it. */
function courtTraceparent(): { traceId: string; spanId: string; header: string } {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, header: `00-${traceId}-${spanId}-01` };
}

/** Sends `query` as the rich debtor's officer in the court's trace; the whole trace once every server span has ended. */
async function tracedDossier(query: string) {
  const { population: pop, gateway } = stack();
  const rich = pop.scenarios.richDebtor;
  const court = courtTraceparent();
  const headers = { ...(await officerHeaders(pop, rich.caseNumber)), traceparent: court.header };
  const answer = await postGraphQL(gateway.url, query, caseVariables(rich.caseNumber), headers);
  expect(answer.errors).toBeUndefined();
  const inTrace = (span: ReadableSpan) => span.spanContext().traceId === court.traceId;
  const server = await spans.waitFor((s) => inTrace(s) && s.kind === SpanKind.SERVER && s.attributes[ATTR.server] === 'gateway');
  // Each subgraph's server span ends as its answer is written, which may be after the gateway read it.
  const calls = spans.getFinishedSpans().filter((s) => inTrace(s) && s.instrumentationScope.name === TRACER.subgraphCalls);
  await Promise.all(calls.map((call) => spans.waitFor((s) => inTrace(s) && s.kind === SpanKind.SERVER && parentOf(s) === idOf(call))));
  return { court, server, trace: spans.getFinishedSpans().filter(inTrace) };
}

describe('one court request is one trace', () => {
  it('the Dossier: gateway SERVER span, Apollo Gateway spans, subgraph CLIENT and SERVER spans, agency CLIENT spans, each under its parent', async () => {
    const { population: pop, emulators } = stack();
    const rich = pop.scenarios.richDebtor;
    const { court, server, trace } = await tracedDossier(DOSSIER);
    const named = (name: string) => trace.filter((s) => s.name === name);
    const childrenOf = (parent: ReadableSpan) => trace.filter((s) => parentOf(s) === idOf(parent));

    // The court's span is the gateway span's parent; every other span's parent is in the trace.
    expect(parentOf(server)).toBe(court.spanId);
    expect(trace.filter((s) => s !== server && !trace.some((p) => idOf(p) === parentOf(s)))).toEqual([]);
    expect(server.attributes).toMatchObject({
      [ATTR.operationName]: 'Dossier',
      [ATTR.court]: pop.cases.find((c) => c.caseNumber === rich.caseNumber)!.courtCode,
      [ATTR.outcome]: 'ok',
      [ATTR.httpStatus]: 200,
    });
    expect(Object.keys(server.attributes)).not.toContain('cag.officer');

    // Apollo Gateway's own spans: request under the server span, execute under it, each fetch under execute.
    // The Dossier's plan was built at start-up (queryPlans/warmQueryPlans.ts): nothing is planned now.
    const [request, ...moreRequests] = named('gateway.request');
    expect(moreRequests).toEqual([]);
    expect(parentOf(request!)).toBe(idOf(server));
    expect(named('gateway.plan')).toEqual([]);
    const [execute, ...moreExecutes] = named('gateway.execute');
    expect(moreExecutes).toEqual([]);
    expect(parentOf(execute!)).toBe(idOf(request!));
    const fetches = named('gateway.fetch');
    expect(fetches.map((f) => parentOf(f)).every((p) => p === idOf(execute!))).toBe(true);

    // A CLIENT span per subgraph call: under its fetch of that subgraph, or (the case binding's lookup) under the server span.
    const calls = trace.filter((s) => s.instrumentationScope.name === TRACER.subgraphCalls);
    expect(calls.every((c) => c.kind === SpanKind.CLIENT && c.attributes[ATTR.outcome] === 'ok')).toBe(true);
    const lookups = calls.filter((c) => parentOf(c) === idOf(server));
    expect(lookups.map((c) => c.attributes[ATTR.subgraph])).toEqual(['court']);
    for (const call of calls.filter((c) => !lookups.includes(c))) {
      const fetch = fetches.find((f) => idOf(f) === parentOf(call));
      expect({ call: call.name, fetchOf: fetch?.attributes.service }).toEqual({ call: call.name, fetchOf: call.attributes[ATTR.subgraph] });
    }
    expect([...new Set(calls.map((c) => c.attributes[ATTR.subgraph]))].sort()).toEqual(AGENCY_SUBGRAPHS);

    // Each call continued by exactly one SERVER span of that subgraph; agency calls only under those.
    const subgraphServers = calls.map((call) => {
      const servers = childrenOf(call);
      expect(servers.map((s) => [s.kind, s.attributes[ATTR.server]])).toEqual([[SpanKind.SERVER, call.attributes[ATTR.subgraph]]]);
      return servers[0]!;
    });
    const agencyCalls = trace.filter((s) => s.instrumentationScope.name === TRACER.agencyCalls);
    for (const agencyCall of agencyCalls) {
      expect(subgraphServers.some((s) => idOf(s) === parentOf(agencyCall))).toBe(true);
      expect(agencyCall).toMatchObject({ kind: SpanKind.CLIENT, attributes: { [ATTR.outcome]: 'ok', [ATTR.httpStatus]: 200, [ATTR.attempts]: 1 } });
      expect(agencyCall.name).toBe(`${agencyCall.attributes[ATTR.httpMethod]} ${agencyCall.attributes[ATTR.urlTemplate]}`);
    }
    const banks = agencyCalls.filter((s) => s.attributes[ATTR.provider] !== undefined).map((s) => s.attributes[ATTR.provider]);
    expect([...new Set(banks)].sort()).toEqual(['HZCB', 'NCB', 'RCC', 'WEB']);
    // Nothing else in the trace but Apollo's own steps of the request and the execution (validate, postprocessing).
    const placed = new Set([server, request, execute, ...fetches, ...calls, ...subgraphServers, ...agencyCalls]);
    for (const rest of trace.filter((s) => !placed.has(s))) expect([idOf(request!), idOf(execute!)]).toContain(parentOf(rest));

    // Every agency call reached its agency with a traceparent of this trace, naming its own span.
    const received = Object.values(emulators).flatMap((e) => e.calls.map((call) => call.headers.traceparent));
    expect(received.length).toBe(agencyCalls.length);
    expect(new Set(received)).toEqual(new Set(agencyCalls.map((s) => `00-${court.traceId}-${idOf(s)}-01`)));

    // The request's log line carries the trace (and the gateway span's id).
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.requestId === server.attributes[ATTR.requestId]);
    expect(logged).toEqual([expect.objectContaining({ msg: 'graphql request', trace_id: court.traceId, span_id: idOf(server) })]);
  });

  it('an operation planned now has its gateway.plan span; no span carries a debtor identifier unmasked', async () => {
    const { population: pop } = stack();
    const rich = pop.scenarios.richDebtor;
    // An operation name carrying the debtor's resident ID: it reaches Apollo Gateway's spans and the subgraphs' too.
    const named = DOSSIER.replace('query Dossier(', `query Dossier_${rich.idNumber}(`);
    const { server, trace } = await tracedDossier(named);
    const [plan, ...morePlans] = trace.filter((s) => s.name === 'gateway.plan');
    expect(morePlans).toEqual([]);
    const request = trace.find((s) => s.name === 'gateway.request')!;
    expect(parentOf(plan!)).toBe(idOf(request));
    expect(server.attributes[ATTR.operationName]).toBe(`Dossier_${maskIdentifiers(rich.idNumber)}`);
    expect(request.attributes['graphql.operation.name']).toBe(`Dossier_${maskIdentifiers(rich.idNumber)}`);

    const owned = (p: PartyRef) => (p.kind === 'PERSON' ? p.idNumber : p.creditCode) === rich.idNumber || (p.kind === 'COMPANY' && p.creditCode === rich.companyCreditCode);
    const identifiers = [
      rich.idNumber,
      rich.spouseIdNumber,
      rich.companyCreditCode,
      ...pop.bankAccounts.filter((a) => owned(a.holder)).map((a) => a.accountNumber),
      ...pop.vehicles.filter((v) => owned(v.owner)).map((v) => v.vin),
      ...pop.socialInsurance.filter((s) => s.idNumber === rich.idNumber).flatMap((s) => (s.housingFund ? [s.housingFund.accountNumber] : [])),
    ];
    expect(identifiers.length).toBeGreaterThan(6);
    // Every span of both requests: names, attribute keys and values, events, status messages.
    const texts = spans.getFinishedSpans().flatMap((s) => [
      s.name,
      s.status.message ?? '',
      JSON.stringify(s.attributes),
      JSON.stringify(s.events.map((e) => [e.name, e.attributes])),
    ]);
    const unmasked = identifiers.filter((id) => texts.some((text) => text.includes(id)));
    expect(unmasked).toEqual([]);
  });
});

describe('a lone subgraph with OTEL_EXPORTER_OTLP_ENDPOINT (npm run subgraph)', () => {
  it('exports its SERVER and agency CLIENT spans to the collector over OTLP/HTTP when it stops, the agency seeing the same trace', async () => {
    // One local server: the court case system (GET /zxaj/v1/courts) and the OTLP collector (POST /v1/traces).
    const agencySaw: IncomingHttpHeaders[] = [];
    const exports: any[] = [];
    const local = createServer((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      req.on('end', () => {
        if (req.url === '/v1/traces') exports.push(JSON.parse(text));
        else agencySaw.push(req.headers);
        const body = req.url === '/v1/traces' ? {} : { errcode: 0, fy: [{ fydm: '浙0106', fymc: '杭州市西湖区人民法院' }] };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      });
    });
    local.listen(0, '127.0.0.1');
    await once(local, 'listening');
    const localUrl = `http://127.0.0.1:${(local.address() as AddressInfo).port}`;
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/subgraph.ts', 'court'], {
      cwd: REPO_ROOT,
      env: { ...process.env, NODE_ENV: 'development', SUBGRAPH_SECRET: TEST_SUBGRAPH_SECRET, COURT_URL: localUrl, PORT: '0', OTEL_EXPORTER_OTLP_ENDPOINT: localUrl },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const lines = createInterface({ input: child.stdout! });
      let url: string | undefined;
      for await (const line of lines) {
        if (line.startsWith('READY ')) {
          url = (JSON.parse(line.slice(6)) as { url: string }).url;
          break;
        }
      }
      const court = courtTraceparent();
      // Named after a resident ID: the name reaches the SERVER span, and the collector sees it masked.
      const id = '330106197504189356';
      const answer = await postGraphQL(url!, `query Courts_${id} { courts { code } }`, undefined, { ...(await signedHeaders()), traceparent: court.header });
      expect(answer).toEqual({ status: 200, data: { courts: [{ code: '浙0106' }] } });
      expect(exports).toEqual([]);
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      expect(await exited).toEqual([0, null]);

      const resourceSpans = exports.flatMap((e) => e.resourceSpans);
      expect(resourceSpans.map((r) => r.resource.attributes.find((a: { key: string }) => a.key === 'service.name').value.stringValue)).toEqual(
        resourceSpans.map(() => 'court-asset-graph-subgraph-court'),
      );
      const exported = resourceSpans.flatMap((r) => r.scopeSpans.flatMap((scope: any) => scope.spans.map((span: any) => ({ scope: scope.scope.name, ...span }))));
      const attribute = (span: any, key: string) => span.attributes.find((a: { key: string }) => a.key === key)?.value;
      const server = exported.find((span) => span.scope === TRACER.http)!;
      const agency = exported.find((span) => span.scope === TRACER.agencyCalls)!;
      expect(server).toMatchObject({ traceId: court.traceId, parentSpanId: court.spanId, name: 'POST /graphql' });
      expect(attribute(server, ATTR.server)).toEqual({ stringValue: 'court' });
      expect(attribute(server, ATTR.operationName)).toEqual({ stringValue: `Courts_${maskIdentifiers(id)}` });
      expect(JSON.stringify(exports)).not.toContain(id);
      expect(agency).toMatchObject({ traceId: court.traceId, parentSpanId: server.spanId, name: 'GET /zxaj/v1/courts' });
      expect(attribute(agency, ATTR.outcome)).toEqual({ stringValue: 'ok' });
      expect(agencySaw.map((h) => h.traceparent)).toEqual([`00-${court.traceId}-${agency.spanId}-01`]);
    } finally {
      child.kill('SIGKILL');
      local.close();
    }
  });
});
