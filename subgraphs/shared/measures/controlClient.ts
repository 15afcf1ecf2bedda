import { z } from 'zod';
import { AgencyError } from '../agencyError';
import type { AgencyChannels, AgencyEvents } from '../agencyChannels';
import type { ControlActEvent } from '../agencyObserver';
import { AgencyHttp } from '../agencyHttp';
import type { MeasureRefusalCode } from '../../../lib/errors/catalog';

/** Keys per control call (the network's limit, mocks/shared/measures/controlDesk.ts). */
export const CONTROL_MAX_BATCH = 100;

export type AssetKind = 'DEPOSIT' | 'VEHICLE' | 'REAL_ESTATE' | 'EQUITY' | 'OTHER_PROPERTY_RIGHT' | 'INCOME';
export type MeasureKind = 'FREEZE' | 'SEAL' | 'SEIZE' | 'WITHHOLD';

const fen = z.number().int().nonnegative();
const instant = z.string().datetime();
const statuses = ['SUBMITTED', 'ACTIVE', 'WAITING', 'RETURNED', 'RELEASED', 'LAPSED', 'DISPOSED'] as const;

const measureSchema = z.object({
  id: z.string().regex(/^\d+$/),
  requestId: z.string(),
  assetKind: z.enum(['DEPOSIT', 'VEHICLE', 'REAL_ESTATE', 'EQUITY', 'OTHER_PROPERTY_RIGHT', 'INCOME']),
  assetKey: z.string(),
  caseNumber: z.string(),
  courtCode: z.string(),
  documentNumber: z.string(),
  kind: z.enum(['FREEZE', 'SEAL', 'SEIZE', 'WITHHOLD']),
  amountFen: fen.nullable(),
  // The debtor the court's notice named; agencies' books older than the field answer without it.
  partyKey: z.string().nullable().default(null),
  status: z.enum(statuses),
  queuePosition: z.number().int().positive().nullable(),
  servedAt: instant,
  dueAt: instant.nullable(),
  termDays: z.number().int().positive(),
  termStart: instant.nullable(),
  termEnd: instant.nullable(),
  endedAt: instant.nullable(),
  renewals: z.number().int().nonnegative(),
  returnReason: z.string().nullable(),
  amountControlledFen: fen.nullable(),
  amountDeductedFen: fen,
  prior: z.array(
    z.object({
      courtCode: z.string(),
      caseNumber: z.string(),
      documentNumber: z.string(),
      status: z.enum(['ACTIVE', 'WAITING']),
      amountControlledFen: fen.nullable(),
      queuePosition: z.number().int().positive().nullable(),
      termEnd: instant.nullable(),
    }),
  ),
  history: z.array(z.object({ kind: z.string(), at: instant, note: z.string().nullable() })),
  deductions: z.array(z.object({ id: z.string(), requestId: z.string(), amountFen: fen, at: instant, transferredAt: instant.nullable() })),
});

/** One measure as the agency's control interface reports it. */
export type AgencyMeasure = z.infer<typeof measureSchema>;

const one = z.object({ measure: measureSchema });
const many = z.object({ measures: z.array(measureSchema) });
const released = z.object({ measure: measureSchema, promoted: measureSchema.nullable() });
const deducted = z.object({
  deduction: z.object({ id: z.string(), requestId: z.string(), amountFen: fen, at: instant, transferredAt: instant.nullable() }),
  measure: measureSchema,
  lapsed: z.array(measureSchema),
});

/** Refusals the control interface answers that a court acts on (the rest are agency errors). */
export const AGENCY_REFUSAL_CODES = [
  'DOCUMENT_NUMBER_REQUIRED',
  'TERM_TOO_LONG',
  'REQUEST_ID_REUSED',
  'NOT_YOUR_MEASURE',
  'NOT_ACTIVE',
  'TERM_EXPIRED',
  'NOT_FROZEN_BY_CASE',
  'INSUFFICIENT_FROZEN',
  'MEASURE_NOT_FOUND',
] as const satisfies readonly MeasureRefusalCode[];
export type AgencyRefusalCode = (typeof AGENCY_REFUSAL_CODES)[number];

/** An agency's refusal of a control request, as data. */
export interface AgencyRefusal {
  code: AgencyRefusalCode;
  message: string;
  details: Record<string, unknown>;
}

export type Controlled<T> = { ok: T } | { refused: AgencyRefusal };

/** Who acts: the court and case of the gateway-signed request. */
export interface ControlActor {
  courtCode: string;
  caseNumber: string;
}

export interface MeasureSubmission {
  /** The court's own idempotency key; unique per court. */
  requestId: string;
  assetKind: AssetKind;
  kind: MeasureKind;
  assetKey: string;
  documentNumber: string;
  termDays: number;
  amountFen?: number;
  /** The debtor of the case who holds the asset (ID number or credit code), named in the notice. */
  partyKey: string;
}

export interface ControlClientOptions {
  /** Name used in errors, e.g. "real-estate registry". */
  agency: string;
  /** One provider among several behind the subgraph (a bank code). */
  provider?: string;
  baseUrl: string;
  /** Path prefix of the agency's control interface, e.g. "/bdc/api/kz". */
  prefix: string;
  timeoutMs?: number;
  /** The subgraph's breaker, retries and connection pool per agency, shared with its query client. */
  channels?: AgencyChannels;
}

/**
 * A subgraph's client of one agency's control interface (the network's common spec; see
 * mocks/shared/measures/controlDesk.ts). Refusals a court must branch on come back as data
 * (`{ refused }`); an agency that fails, times out or answers garbage throws an AgencyError.
 *
 * Request ids are the court's own: two courts may both use "1", so the agency is given
 * `<court>/<requestId>`, and measures are shown with the court's part only.
 */
export class ControlClient {
  private readonly http: AgencyHttp;
  /** The agency's channel's events: each act answered is told to the subgraph's metrics (measures by status). */
  private readonly events: AgencyEvents | undefined;

  constructor(private readonly options: ControlClientOptions) {
    this.events = options.channels?.channel({ agency: options.agency, provider: options.provider }).events;
    this.http = new AgencyHttp({
      agency: options.agency,
      provider: options.provider,
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs,
      channels: options.channels,
      describeError: (body) => {
        const parsed = z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }).safeParse(body);
        return parsed.success ? parsed.data : undefined;
      },
    });
  }

  submit(actor: ControlActor, submission: MeasureSubmission): Promise<Controlled<AgencyMeasure>> {
    const body = { ...submission, requestId: agencyRequestId(actor.courtCode, submission.requestId), ...actor };
    return this.controlled('submit', async () => shown((await this.post('submit', body, one)).measure), (m) => m, submission.kind);
  }

  renew(actor: ControlActor, measureId: string, termDays: number, documentNumber: string): Promise<Controlled<AgencyMeasure>> {
    return this.controlled('renew', async () => shown((await this.post('renew', { measureId, termDays, documentNumber, ...actor }, one)).measure), (m) => m);
  }

  release(actor: ControlActor, measureId: string, documentNumber: string): Promise<Controlled<{ measure: AgencyMeasure; promoted: AgencyMeasure | null }>> {
    return this.controlled(
      'release',
      async () => {
        const answer = await this.post('release', { measureId, documentNumber, ...actor }, released);
        return { measure: shown(answer.measure), promoted: answer.promoted && shown(answer.promoted) };
      },
      (r) => r.measure,
    );
  }

  deduct(actor: ControlActor, measureId: string, amountFen: number, requestId: string): Promise<Controlled<z.infer<typeof deducted>>> {
    const body = { measureId, amountFen, requestId: agencyRequestId(actor.courtCode, requestId), ...actor };
    return this.controlled(
      'deduct',
      async () => {
        const answer = await this.post('deduct', body, deducted);
        return { ...answer, measure: shown(answer.measure), lapsed: answer.lapsed.map(shown) };
      },
      (r) => r.measure,
    );
  }

  /** Every court's measures on the given assets (at most CONTROL_MAX_BATCH keys), by asset key. */
  async ofAssets(assetKeys: readonly string[]): Promise<Map<string, AgencyMeasure[]>> {
    const { measures } = await this.read('measures', { assetKeys }, many);
    const byAsset = new Map<string, AgencyMeasure[]>();
    for (const m of measures) byAsset.set(m.assetKey, [...(byAsset.get(m.assetKey) ?? []), shown(m)]);
    return byAsset;
  }

  /**
   * Every measure of each case (at most CONTROL_MAX_BATCH), by case number, in order of
   * service: one call for a docket page, not one per case.
   */
  async ofCases(caseNumbers: readonly string[]): Promise<Map<string, AgencyMeasure[]>> {
    const { measures } = await this.read('cases', { caseNumbers }, many);
    const byCase = new Map<string, AgencyMeasure[]>();
    for (const m of measures) byCase.set(m.caseNumber, [...(byCase.get(m.caseNumber) ?? []), shown(m)]);
    return byCase;
  }

  /** Every measure of one case at this agency, in order of service (read fresh, for a control act's checks). */
  async ofCase(caseNumber: string): Promise<AgencyMeasure[]> {
    return (await this.read('case', { caseNumber }, many)).measures.map(shown);
  }

  /** A control request: sent once, never retried automatically (the court retries with its request id). */
  private post<T>(name: string, body: unknown, schema: z.ZodType<T>): Promise<T> {
    return this.http.post(`${this.options.prefix}/${name}`, body, schema, { idempotent: false });
  }

  /** A read of the control interface (measures, case): retried after a transient failure. */
  private read<T>(name: string, body: unknown, schema: z.ZodType<T>): Promise<T> {
    return this.http.post(`${this.options.prefix}/${name}`, body, schema, { idempotent: true });
  }

  /**
   * One control act: its answer, or the refusal as data; either way told to the channel's
   * events with the act, the measure's kind (`kind` until the agency names it) and its status.
   */
  private async controlled<T>(act: ControlActEvent['act'], call: () => Promise<T>, measureOf: (ok: T) => AgencyMeasure, kind?: MeasureKind): Promise<Controlled<T>> {
    const acted = (status: string, answeredKind?: string) => this.events?.acted({ act, kind: answeredKind ?? kind ?? 'none', status });
    let ok: T;
    try {
      ok = await call();
    } catch (error) {
      const said = error instanceof AgencyError && error.code === 'AGENCY_REFUSED' ? error.said : undefined;
      const code = said?.code as AgencyRefusalCode | undefined;
      if (!said || !code || !AGENCY_REFUSAL_CODES.includes(code)) {
        acted('FAILED');
        throw error;
      }
      acted('REFUSED');
      return { refused: { code, message: said.message ?? code, details: said.details ?? {} } };
    }
    const measure = measureOf(ok);
    acted(measure.status, measure.kind);
    return { ok };
  }
}

function agencyRequestId(courtCode: string, requestId: string): string {
  return `${courtCode}/${requestId}`;
}

/** The measure as a court sees it: its own request id, without the court prefix. */
function shown(measure: AgencyMeasure): AgencyMeasure {
  const prefix = `${measure.courtCode}/`;
  return measure.requestId.startsWith(prefix) ? { ...measure, requestId: measure.requestId.slice(prefix.length) } : measure;
}
