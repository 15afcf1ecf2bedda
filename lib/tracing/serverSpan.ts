import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { type Attributes, context, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ATTR, SPAN, TRACER } from './spanNames';
import { contextFromHeaders } from './traceHeaders';
import { type RequestOutcome, requestOutcome } from '../http/requestOutcome';

/** How a server traces its /graphql requests (ServeGraphQLOptions.tracing). */
export interface ServerTracing<TContext extends BaseContext> {
  /** Which server answers: `gateway` or the subgraph's name (the spans' `cag.server`). */
  server: string;
  /** What the request's context adds to its span once answered (the gateway: court and request id); masked on export. */
  attributes?(context: TContext): Attributes;
}

/** The outcome Apollo Server's answer gave each server span, by the span (none: decided from the HTTP status). */
const outcomes = new WeakMap<Span, RequestOutcome | undefined>();

/**
 * Runs `handle` (the whole /graphql request: admission, body, Apollo Server, the answer) in a
 * SERVER span that continues the caller's `traceparent`, or starts a trace without one. It ends
 * when the answer is written or the connection closes, with the HTTP status and an outcome.
 */
export function traceRequest<TContext extends BaseContext>(
  tracing: ServerTracing<TContext> | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  handle: () => Promise<void>,
): Promise<void> {
  if (tracing === undefined) return handle();
  const method = (req.method ?? 'GET').toUpperCase();
  const parent = contextFromHeaders(req.headers);
  const span = trace.getTracer(TRACER.http).startSpan(
    SPAN.server(method),
    { kind: SpanKind.SERVER, attributes: { [ATTR.httpMethod]: method, [ATTR.httpRoute]: '/graphql', [ATTR.server]: tracing.server } },
    parent,
  );
  outcomes.set(span, undefined);
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    const status = res.statusCode;
    const said = outcomes.get(span);
    // The answer written may not be Apollo Server's (the gateway's audit answers 503 when it cannot record).
    const outcome: RequestOutcome = status >= 500 || !res.writableFinished ? 'failed' : (said ?? (status >= 400 ? 'refused' : 'ok'));
    span.setAttributes({ [ATTR.httpStatus]: status, [ATTR.outcome]: outcome });
    if (outcome === 'failed') span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
  res.once('finish', end);
  res.once('close', end);
  return context.with(trace.setSpan(parent, span), handle);
}

/**
 * Apollo Server's side of the request's span: the operation's name and type, what the
 * server's `attributes` reads off the context, and the outcome of its answer. Runs only inside a
 * span of traceRequest (the span active when the request starts).
 */
export function requestSpanPlugin<TContext extends BaseContext>(tracing: ServerTracing<TContext>): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      const span = trace.getActiveSpan();
      if (span === undefined || !outcomes.has(span)) return;
      return {
        async willSendResponse(request) {
          try {
            outcomes.set(span, requestOutcome(request).outcome);
            const name = request.operationName ?? request.request.operationName;
            span.setAttributes(
              defined({
                [ATTR.operationName]: name ?? undefined,
                [ATTR.operationType]: request.operation?.operation,
                ...tracing.attributes?.(request.contextValue),
              }),
            );
          } catch {
            // A span is never a reason to fail a request.
          }
        },
      };
    },
  };
}

function defined(attributes: Attributes): Attributes {
  return Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== undefined));
}
