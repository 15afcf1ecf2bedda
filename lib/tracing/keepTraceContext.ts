import type { IncomingMessage, ServerResponse } from 'node:http';
import { context } from '@opentelemetry/api';

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * A connect-style middleware (body-parser) whose `next` runs in the trace context it was called
 * in: it is called from the request stream's events, which carry the socket's context, not the
 * request's span. With tracing off the API's context is the root one and this changes nothing.
 */
export function keepTraceContext(middleware: Middleware): Middleware {
  return (req, res, next) => middleware(req, res, context.bind(context.active(), next));
}
