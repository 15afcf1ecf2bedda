import { type Attributes, type Context, context, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ATTR } from './spanNames';

export interface ClientSpanOptions {
  /** The instrumentation scope (spanNames.ts TRACER). */
  tracer: string;
  name: string;
  attributes: Attributes;
  /** The `cag.outcome` of a call that threw. @default the error's `code`, else 'failed' */
  outcomeOfError?(error: unknown): string;
}

/**
 * Runs `call` in a CLIENT span, child of the active one and active inside `call` (whose
 * `traceHeaders()` then carry it to the next hop). A throw marks the span an error, with
 * `error.type` and `cag.outcome` the error's code (never its message: it may name a person);
 * `call` sets the outcome of a call that returned. The span ends either way.
 */
export async function inClientSpan<T>(options: ClientSpanOptions, call: (span: Span, inSpan: Context) => Promise<T>): Promise<T> {
  const parent = context.active();
  const span = trace.getTracer(options.tracer).startSpan(options.name, { kind: SpanKind.CLIENT, attributes: options.attributes }, parent);
  const inSpan = trace.setSpan(parent, span);
  try {
    return await context.with(inSpan, () => call(span, inSpan));
  } catch (error) {
    const code = codeOf(error);
    span.setStatus({ code: SpanStatusCode.ERROR });
    span.setAttributes({ [ATTR.errorType]: code ?? errorName(error), [ATTR.outcome]: options.outcomeOfError?.(error) ?? code ?? 'failed' });
    throw error;
  } finally {
    span.end();
  }
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
