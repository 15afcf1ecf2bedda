import type { ZodType } from 'zod';
import type { AgencyChannel, AgencyChannels } from './agencyChannels';
import { AgencyError, type AgencyErrorDetails } from './agencyError';
import type { AgencyCallEvent } from './agencyObserver';
import { type AgencyResponse, unpooledFetch } from './agencyPool';
import { currentAgencyHeaders } from './agencyHeaders';
import { trace } from '@opentelemetry/api';
import { inClientSpan } from '../../lib/tracing/clientSpan';
import { ATTR, SPAN, TRACER } from '../../lib/tracing/spanNames';
import { traceHeaders } from '../../lib/tracing/traceHeaders';
import { urlTemplate } from '../../lib/tracing/urlTemplate';

export interface AgencyHttpOptions {
  /** Name used in errors, e.g. "vehicle registry" or "bank NCB". */
  agency: string;
  provider?: string;
  baseUrl: string;
  /** Time budget of one call, retries and their backoff included. @default 5000 */
  timeoutMs?: number;
  /**
   * The subgraph's channels to its agencies: this agency's circuit breaker, retries of
   * idempotent reads, and keep-alive connection pool. Without them every call is one
   * unpooled attempt, as for a client used on its own (unit tests, scripts).
   */
  channels?: AgencyChannels;
  /** Reads the agency's own error body into a code and message (and details, where the shape has them). */
  describeError?(body: unknown): { code?: string; message?: string; details?: Record<string, unknown> } | undefined;
}

export interface AgencyCallOptions<T, B> {
  /**
   * The call only reads, so the agency may receive it twice without harm: it is retried
   * after a transient failure. Control requests (submit, renew, release, deduct) must not be.
   * @default true for GET, false for POST
   */
  idempotent?: boolean;
  /**
   * Checks the validated answer against the body this attempt sent (an echoed request
   * number); an AgencyError it throws is the attempt's outcome, for the breaker as well.
   */
  check?(answer: T, sent: B): void;
}

/**
 * JSON over HTTP to one agency's legacy API, with every failure turned into an AgencyError
 * with a stable code. Responses are validated against a zod schema: an agency that answers
 * garbage costs its own fields, never a crash or a wrong value. Every call carries the case
 * context of the request it serves (`x-court`, `x-officer`, `x-case-number`, `x-request-id`),
 * and goes through the agency's channel (breaker, retries, pool) when the subgraph gave one.
 * Each call is one CLIENT span (agency, provider, method, path template, status, attempts,
 * outcome), its `traceparent` sent to the agency with every attempt.
 */
export class AgencyHttp {
  private readonly timeoutMs: number;
  private readonly who: string;
  private readonly details: AgencyErrorDetails;
  private readonly channel: AgencyChannel | undefined;

  constructor(private readonly options: AgencyHttpOptions) {
    this.timeoutMs = options.timeoutMs ?? 5000;
    const { agency, provider } = options;
    this.details = provider === undefined ? { agency } : { agency, provider };
    this.who = provider === undefined ? agency : `${agency} ${provider}`;
    this.channel = options.channels?.channel({ agency, provider });
  }

  get<T>(path: string, schema: ZodType<T>, options: AgencyCallOptions<T, undefined> = {}): Promise<T> {
    return this.call('GET', path, () => undefined, schema, { idempotent: true, ...options });
  }

  /**
   * POSTs `body`; pass it as a function to have it built afresh for every attempt (a new
   * request number per attempt, which a retried read needs).
   */
  post<T, B>(path: string, body: B | (() => B), schema: ZodType<T>, options: AgencyCallOptions<T, B> = {}): Promise<T> {
    const build = typeof body === 'function' ? (body as () => B) : () => body;
    return this.call('POST', path, build, schema, { idempotent: false, ...options });
  }

  private call<T, B>(method: string, path: string, build: () => B, schema: ZodType<T>, options: AgencyCallOptions<T, B>): Promise<T> {
    const template = urlTemplate(path);
    const base = new URL(this.options.baseUrl);
    const attributes = {
      [ATTR.agency]: this.options.agency,
      ...(this.options.provider === undefined ? {} : { [ATTR.provider]: this.options.provider }),
      [ATTR.httpMethod]: method,
      [ATTR.urlTemplate]: template,
      [ATTR.serverAddress]: base.hostname,
      ...(base.port === '' ? {} : { [ATTR.serverPort]: Number(base.port) }),
    };
    return inClientSpan({ tracer: TRACER.agencyCalls, name: SPAN.agencyCall(method, template), attributes }, async (span) => {
      let attempts = 0;
      const answer = await this.send(method, path, () => {
        span.setAttribute(ATTR.attempts, ++attempts);
        return build();
      }, schema, options);
      span.setAttribute(ATTR.outcome, 'ok');
      return answer;
    });
  }

  private send<T, B>(method: string, path: string, build: () => B, schema: ZodType<T>, options: AgencyCallOptions<T, B>): Promise<T> {
    const deadline = Date.now() + this.timeoutMs;
    const attempt = async () => {
      const sent = build();
      const answer = await this.attempt(method, path, sent, schema, deadline);
      options.check?.(answer, sent);
      return answer;
    };
    const channel = this.channel;
    if (channel === undefined) return attempt();
    const idempotent = options.idempotent ?? false;
    const started = process.hrtime.bigint();
    const called = (outcome: AgencyCallEvent['outcome']) =>
      channel.events.called({ call: idempotent ? 'read' : 'control', outcome, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
    return channel.policy.execute(attempt, { idempotent, deadline, timeoutMs: this.timeoutMs }).then(
      (answer) => {
        called('ok');
        return answer;
      },
      (error: unknown) => {
        called(error instanceof AgencyError ? error.code : 'error');
        throw error;
      },
    );
  }

  private async attempt<T>(method: string, path: string, body: unknown, schema: ZodType<T>, deadline: number): Promise<T> {
    const { who, details } = this;
    let response: AgencyResponse;
    let text: string;
    try {
      const fetch = this.channel?.fetch ?? unpooledFetch;
      response = await fetch(new URL(path, this.options.baseUrl), {
        method,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          // Court, officer, case and request id of the gateway-signed request this call serves.
          ...currentAgencyHeaders(),
          // The call's span (active here), so the agency's side can join the trace.
          ...traceHeaders(),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        // What is left of the call's budget: a retry never extends it.
        signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())),
      });
      trace.getActiveSpan()?.setAttribute(ATTR.httpStatus, response.status);
      text = await response.text();
    } catch (error) {
      // Duck-typed: the DOMException fetch rejects with may come from another realm (jest).
      const name = (error as { name?: unknown } | null)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new AgencyError('AGENCY_TIMEOUT', `The ${who} did not answer within ${this.timeoutMs} ms.`, details);
      }
      throw new AgencyError('AGENCY_UNAVAILABLE', `The ${who} could not be reached.`, details);
    }

    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      if (response.status >= 500) {
        throw new AgencyError('AGENCY_UNAVAILABLE', `The ${who} answered HTTP ${response.status}.`, { ...details, httpStatus: response.status });
      }
      throw new AgencyError('AGENCY_BAD_RESPONSE', `The ${who} answered something that is not JSON.`, { ...details, httpStatus: response.status });
    }

    if (!response.ok) {
      const said = this.options.describeError?.(json);
      const reason = said?.message ? `: ${said.message}` : '.';
      const extra = { ...details, httpStatus: response.status, ...(said?.code ? { agencyCode: said.code } : {}) };
      if (response.status >= 500) {
        throw new AgencyError('AGENCY_UNAVAILABLE', `The ${who} failed with HTTP ${response.status}${reason}`, extra);
      }
      throw new AgencyError('AGENCY_REFUSED', `The ${who} refused the request (HTTP ${response.status})${reason}`, extra, said);
    }

    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const where = first && first.path.length > 0 ? ` at ${first.path.join('.')}` : '';
      throw new AgencyError('AGENCY_BAD_RESPONSE', `The ${who} answered in an unexpected shape${where}.`, details);
    }
    return parsed.data;
  }
}
