import type { IncomingHttpHeaders } from 'node:http';
import { type Context, context, defaultTextMapGetter, defaultTextMapSetter, ROOT_CONTEXT } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/** W3C Trace Context only: `traceparent` and `tracestate`, no baggage (a caller's baggage is not forwarded to agencies). */
const w3c = new W3CTraceContextPropagator();

/**
 * The trace context a request arrived with (`traceparent`, `tracestate`), on the root context:
 * never the context of whatever happens to be running in this process (a stack in one process).
 * Without a valid `traceparent`, the root context: the request starts a trace of its own.
 */
export function contextFromHeaders(headers: IncomingHttpHeaders): Context {
  return w3c.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
}

/**
 * The headers that carry `from` (by default the active context) to the next hop: `traceparent`
 * and, if any, `tracestate`; none when no span is active (tracing off).
 */
export function traceHeaders(from: Context = context.active()): Record<string, string> {
  const headers: Record<string, string> = {};
  w3c.inject(from, headers, defaultTextMapSetter);
  return headers;
}

/** The propagator the tracer provider registers for libraries that use the global one. */
export const TRACE_CONTEXT_PROPAGATOR = w3c;
