import { context, isSpanContextValid, trace } from '@opentelemetry/api';

/**
 * The active span's ids as log fields (`trace_id`, `span_id`, the names OpenTelemetry's log
 * correlation uses), or none outside a span or with tracing off. Cheap: read on every log line.
 */
export function activeTraceIds(): { trace_id?: string; span_id?: string } {
  const spanContext = trace.getSpan(context.active())?.spanContext();
  if (spanContext === undefined || !isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}
