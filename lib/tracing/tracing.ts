import { context, propagation, ProxyTracerProvider, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { MaskingSpanExporter } from './maskedSpans';
import { TRACE_CONTEXT_PROPAGATOR } from './traceHeaders';

export interface TracingSettings {
  /** The `service.name` of every span of the process (OTEL_SERVICE_NAME). */
  serviceName: string;
  /** The base URL of an OTLP/HTTP collector (OTEL_EXPORTER_OTLP_ENDPOINT); spans go to `<endpoint>/v1/traces`. @default none */
  otlpEndpoint?: string;
  /** An exporter of the caller's, each span handed to it as it ends (tests: an InMemorySpanExporter). @default none */
  exporter?: SpanExporter;
}

export interface Tracing {
  /** Whether spans are recorded and exported: false without an endpoint or exporter. */
  readonly enabled: boolean;
  /** Exports every span ended so far (OTLP batches them). */
  flush(): Promise<void>;
  /** Flushes, shuts the exporters down and unregisters the provider, once; later calls wait for the first. */
  stop(): Promise<void>;
}

const OFF: Tracing = { enabled: false, flush: async () => {}, stop: async () => {} };

/**
 * Starts the process's tracer provider from its settings and registers it with the OpenTelemetry
 * API (the one copy Apollo Gateway uses too, so its gateway.* spans join ours), with
 * AsyncLocalStorage context and W3C Trace Context propagation. Without an endpoint or exporter
 * nothing is registered: every tracer is the API's no-op, and a span costs an object.
 * One provider per process; a second start before `stop` throws.
 *
 * Every span is masked on its way out (maskedSpans.ts). OTLP export is batched; the OTLP
 * exporter's own variables (OTEL_EXPORTER_OTLP_HEADERS, _TIMEOUT, ...) apply to it.
 */
export function startTracing(settings: TracingSettings): Tracing {
  const processors: SpanProcessor[] = [];
  if (settings.exporter) processors.push(new SimpleSpanProcessor(new MaskingSpanExporter(settings.exporter)));
  if (settings.otlpEndpoint !== undefined) {
    const url = `${settings.otlpEndpoint.replace(/\/+$/, '')}/v1/traces`;
    processors.push(new BatchSpanProcessor(new MaskingSpanExporter(new OTLPTraceExporter({ url }))));
  }
  if (processors.length === 0) return OFF;

  const provider = new NodeTracerProvider({
    resource: defaultResource().merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.serviceName })),
    spanProcessors: processors,
  });
  provider.register({ propagator: TRACE_CONTEXT_PROPAGATOR });
  const global = trace.getTracerProvider();
  if (!(global instanceof ProxyTracerProvider) || global.getDelegate() !== provider) {
    void provider.shutdown();
    throw new Error('A tracer provider is already registered in this process: stop it before starting another.');
  }
  let stopped: Promise<void> | undefined;
  return {
    enabled: true,
    flush: () => provider.forceFlush(),
    stop: () =>
      (stopped ??= provider.shutdown().finally(() => {
        // Unregistered, so the process (a test file) may start another.
        trace.disable();
        context.disable();
        propagation.disable();
      })),
  };
}
