import type { ZodType } from 'zod';
import { AgencyError } from './agencyError';
import { caseContextHeaders } from './caseContext';

export interface AgencyHttpOptions {
  /** Name used in errors, e.g. "vehicle registry" or "bank NCB". */
  agency: string;
  provider?: string;
  baseUrl: string;
  /** Per-call time limit. @default 5000 */
  timeoutMs?: number;
  /** Reads the agency's own error body into a code and message (and details, where the shape has them). */
  describeError?(body: unknown): { code?: string; message?: string; details?: Record<string, unknown> } | undefined;
}

/**
 * JSON over HTTP to one agency's legacy API, with every failure turned into an AgencyError
 * with a stable code. Responses are validated against a zod schema: an agency that answers
 * garbage costs its own fields, never a crash or a wrong value. Every call carries the case
 * context of the request it serves (`x-court`, `x-officer`, `x-case-number`, `x-request-id`).
 */
export class AgencyHttp {
  private readonly timeoutMs: number;

  constructor(private readonly options: AgencyHttpOptions) {
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  get<T>(path: string, schema: ZodType<T>): Promise<T> {
    return this.request('GET', path, undefined, schema);
  }

  post<T>(path: string, body: unknown, schema: ZodType<T>): Promise<T> {
    return this.request('POST', path, body, schema);
  }

  private async request<T>(method: string, path: string, body: unknown, schema: ZodType<T>): Promise<T> {
    const { agency, provider } = this.options;
    const details = provider === undefined ? { agency } : { agency, provider };
    const who = provider === undefined ? agency : `${agency} ${provider}`;
    let response: Response;
    let text: string;
    try {
      response = await fetch(new URL(path, this.options.baseUrl), {
        method,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          // Court, officer, case and request id of the gateway-signed request this call serves.
          ...caseContextHeaders(),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
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
