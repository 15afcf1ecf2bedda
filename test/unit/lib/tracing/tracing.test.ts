import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { createLogger } from '../../../../lib/log/logger';
import { startTracing } from '../../../../lib/tracing/tracing';
import { traceHeaders } from '../../../../lib/tracing/traceHeaders';

describe('startTracing', () => {
  it('without an endpoint or exporter registers nothing: spans are the no-op API\'s, nothing propagates', () => {
    const tracing = startTracing({ serviceName: 'court-asset-graph-gateway' });
    expect(tracing.enabled).toBe(false);
    trace.getTracer('test').startActiveSpan('request', (span) => {
      expect(span.isRecording()).toBe(false);
      expect(trace.getActiveSpan()).toBeUndefined();
      expect(traceHeaders()).toEqual({});
      span.end();
    });
  });

  it('with an exporter: spans recorded under the service name, context kept across awaits, a second provider refused until stopped', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = startTracing({ serviceName: 'court-asset-graph-subgraph-bank', exporter });
    try {
      expect(tracing.enabled).toBe(true);
      expect(() => startTracing({ serviceName: 'another', exporter: new InMemorySpanExporter() })).toThrow('A tracer provider is already registered');
      await trace.getTracer('test').startActiveSpan('outer', async (outer) => {
        await new Promise((resolve) => setImmediate(resolve));
        expect(trace.getActiveSpan()).toBe(outer);
        expect(traceHeaders().traceparent).toBe(`00-${outer.spanContext().traceId}-${outer.spanContext().spanId}-01`);
        outer.end();
      });
      expect(exporter.getFinishedSpans().map((s) => [s.name, s.resource.attributes['service.name']])).toEqual([['outer', 'court-asset-graph-subgraph-bank']]);
    } finally {
      await tracing.stop();
    }
    // Stopped: unregistered, so another may start.
    const again = startTracing({ serviceName: 'again', exporter: new InMemorySpanExporter() });
    await again.stop();
    expect(trace.getTracer('test').startSpan('after').isRecording()).toBe(false);
  });
  // The OTLP exporter loads node:http by dynamic import, which jest's VM refuses: its export is
  // proven in a process of its own (test/e2e/tracing.test.ts, a lone subgraph).
});

describe('the logger inside a span', () => {
  it('writes the span\'s trace_id and span_id on every line, and none outside a span', async () => {
    const tracing = startTracing({ serviceName: 'test', exporter: new InMemorySpanExporter() });
    try {
      const lines: string[] = [];
      const logger = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(line) } });
      logger.info('outside');
      const span = trace.getTracer('test').startSpan('request');
      context.with(trace.setSpan(context.active(), span), () => logger.info({ requestId: 'r-1' }, 'inside'));
      span.end();
      const [outside, inside] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(outside).not.toHaveProperty('trace_id');
      expect(inside).toMatchObject({ msg: 'inside', requestId: 'r-1', trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId });
    } finally {
      await tracing.stop();
    }
  });
});
