import { context, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { contextFromHeaders, traceHeaders } from '../../../../lib/tracing/traceHeaders';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

describe('W3C trace context over HTTP headers', () => {
  it('reads a traceparent and tracestate into a remote parent, and writes them back out as they came', () => {
    const incoming = contextFromHeaders({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, tracestate: 'court=zj0106' });
    expect(trace.getSpanContext(incoming)).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED, isRemote: true });
    expect(traceHeaders(incoming)).toEqual({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, tracestate: 'court=zj0106' });
  });

  it('keeps a caller that did not sample unsampled (flags 00)', () => {
    expect(traceHeaders(contextFromHeaders({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-00` }))).toEqual({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-00` });
  });

  it.each([
    ['no header', {}],
    ['a malformed one', { traceparent: 'not-a-traceparent' }],
    ['an all-zero trace id', { traceparent: `00-${'0'.repeat(32)}-${SPAN_ID}-01` }],
  ])('starts a trace of its own on %s: the root context, nothing to send on', (_name, headers) => {
    const extracted = contextFromHeaders(headers);
    expect(trace.getSpanContext(extracted)).toBeUndefined();
    expect(traceHeaders(extracted)).toEqual({});
  });

  it('ignores whatever context is active in the process: a request continues only its own caller', () => {
    const elsewhere = trace.setSpanContext(ROOT_CONTEXT, { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: TraceFlags.SAMPLED });
    // The API's no-op context manager keeps nothing active here, so the explicit context is what is read.
    const extracted = context.with(elsewhere, () => contextFromHeaders({}));
    expect(trace.getSpanContext(extracted)).toBeUndefined();
    expect(traceHeaders(elsewhere)).toEqual({ traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` });
  });

  it('sends nothing outside a span (tracing off: the active context is the root one)', () => {
    expect(traceHeaders()).toEqual({});
  });
});
