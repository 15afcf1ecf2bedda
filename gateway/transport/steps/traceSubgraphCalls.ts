import { type Context, type Span, trace } from '@opentelemetry/api';
import { inClientSpan } from '../../../lib/tracing/clientSpan';
import { ATTR, SPAN, TRACER } from '../../../lib/tracing/spanNames';
import { traceHeaders } from '../../../lib/tracing/traceHeaders';
import type { SubgraphCall, SubgraphCallStep } from '../subgraphCall';
import type { Fetcher } from '../subgraphTransport';

/** Each call's span and its context, by the call (one object per call, subgraphCall.ts). */
const spans = new WeakMap<SubgraphCall, { span: Span; inSpan: Context }>();
/** The spans of this step, so an error mapped inside one can be told apart from any other active span. */
const ours = new WeakSet<Span>();

/**
 * A CLIENT span per call that goes to its subgraph (after the steps that answer without
 * sending: the case record, a shared read), child of Apollo Gateway's `gateway.fetch`, with
 * the subgraph and the outcome (`ok`, `errors`, `failed`, as measureSubgraphCalls counts it);
 * the request leaves with its `traceparent`, so the subgraph's SERVER span continues the trace.
 */
export function traceSubgraphCalls(): SubgraphCallStep {
  return {
    name: 'traceSubgraphCalls',
    call(call, next) {
      return inClientSpan(
        { tracer: TRACER.subgraphCalls, name: SPAN.subgraphCall(call.subgraph), attributes: subgraphAttributes(call.subgraph), outcomeOfError: () => 'failed' },
        async (span, inSpan) => {
          spans.set(call, { span, inSpan });
          ours.add(span);
          const answer = await next();
          span.setAttribute(ATTR.outcome, answer.errors && answer.errors.length > 0 ? 'errors' : 'ok');
          return answer;
        },
      );
    },
    beforeSend(call) {
      const traced = spans.get(call);
      if (traced === undefined) return;
      for (const [name, value] of Object.entries(traceHeaders(traced.inSpan))) call.request.http?.headers.set(name, value);
    },
    mapError(_subgraph, response, next) {
      // gateway-js maps the HTTP error inside the call, so the call's span is the active one.
      const span = trace.getActiveSpan();
      if (span !== undefined && ours.has(span)) span.setAttribute(ATTR.httpStatus, response.status);
      return next();
    },
  };
}

/**
 * The same span for a call the gateway makes outside a query plan, straight through a fetcher
 * (the case binding's lookup at the court subgraph), so that call joins the request's trace too.
 */
export function traceSubgraphFetches(subgraph: string, fetcher: Fetcher): Fetcher {
  return (url, init) =>
    inClientSpan(
      { tracer: TRACER.subgraphCalls, name: SPAN.subgraphCall(subgraph), attributes: subgraphAttributes(subgraph), outcomeOfError: () => 'failed' },
      async (span, inSpan) => {
        const response = await fetcher(url, { ...init, headers: { ...init?.headers, ...traceHeaders(inSpan) } });
        span.setAttributes({ [ATTR.httpStatus]: response.status, [ATTR.outcome]: response.ok ? 'ok' : 'failed' });
        return response;
      },
    );
}

function subgraphAttributes(subgraph: string) {
  return { [ATTR.subgraph]: subgraph, [ATTR.httpMethod]: 'POST' };
}
