import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { maskAttributes, MaskingSpanExporter } from '../../../../lib/tracing/maskedSpans';

const ID = '330106197504189356';
const CREDIT = '91330106MA2B3C4D5E';
const ACCOUNT = '6222021234567890123';
const VIN = 'LSVAU218XN2183294';

describe('maskAttributes', () => {
  it('masks every identifier in string values, arrays and keys, and a long integer that is one; leaves the rest', () => {
    expect(
      maskAttributes({
        'graphql.operation.name': `Dossier_${ID}`,
        owners: [CREDIT, 'none'],
        [`seen.${VIN}`]: true,
        account: Number(ACCOUNT.slice(0, 15)),
        'http.response.status_code': 200,
        'cag.attempts': 2,
      }),
    ).toEqual({
      'graphql.operation.name': 'Dossier_330106********9356',
      owners: ['913301********4D5E', 'none'],
      'seen.LSV**********3294': true,
      account: '6222*******6789',
      'http.response.status_code': 200,
      'cag.attempts': 2,
    });
  });
});

describe('MaskingSpanExporter', () => {
  it('exports a masked copy of each span: name, attributes, events, status message; ids, parent and kind as they were', () => {
    const inner = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new MaskingSpanExporter(inner))] });
    const tracer = provider.getTracer('test');
    const parent = tracer.startSpan('parent');
    const span = tracer.startSpan(`lookup ${ID}`, { kind: SpanKind.CLIENT, attributes: { account: ACCOUNT } }, trace.setSpan(ROOT_CONTEXT, parent));
    span.addEvent(`retry ${VIN}`, { holder: CREDIT });
    span.setStatus({ code: SpanStatusCode.ERROR, message: `no such person ${ID}` });
    span.end();
    parent.end();

    const [exported] = inner.getFinishedSpans();
    expect(exported).toMatchObject({
      name: 'lookup 330106********9356',
      kind: SpanKind.CLIENT,
      attributes: { account: '6222***********0123' },
      events: [expect.objectContaining({ name: 'retry LSV**********3294', attributes: { holder: '913301********4D5E' } })],
      status: { code: SpanStatusCode.ERROR, message: 'no such person 330106********9356' },
    });
    expect(exported!.spanContext()).toEqual(span.spanContext());
    expect(exported!.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(JSON.stringify(inner.getFinishedSpans().map((s) => [s.name, s.attributes, s.events, s.status]))).not.toMatch(new RegExp(`${ID}|${ACCOUNT}|${VIN}|${CREDIT}`));
  });

  it('exports nothing it could not mask', () => {
    const inner = new InMemorySpanExporter();
    const results: number[] = [];
    const broken = { get name(): string { throw new Error('unreadable'); } } as never;
    new MaskingSpanExporter(inner).export([broken], (result) => results.push(result.code));
    expect(results).toEqual([ExportResultCode.FAILED]);
    expect(inner.getFinishedSpans()).toEqual([]);
  });
});
