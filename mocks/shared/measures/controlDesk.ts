/**
 * The control interface (查控 — control part) every agency on the online enforcement network
 * offers beside its own inquiry API, as the SPC network specifies it once for all members:
 * JSON over HTTP under the agency's own prefix, every call carrying the court's case context
 * headers. Amounts are integer fen, times ISO 8601 UTC.
 *
 *   POST {prefix}/submit   { requestId, caseNumber, courtCode, documentNumber, kind, assetKind,
 *                            assetKey, termDays, amountFen?, partyKey? }
 *        -> { measure }   served: SUBMITTED until the agency answers (after its answer delay),
 *                         then ACTIVE / WAITING (queuePosition) / RETURNED (returnReason).
 *                         The same requestId again returns the same measure. partyKey: the
 *                         debtor (被执行人) the notice names, kept with the measure.
 *   POST {prefix}/feedback { requestIds: [...] }  at most 100  -> { measures }   (polling)
 *   POST {prefix}/measures { assetKeys: [...] }   at most 100  -> { measures }   every court's
 *   POST {prefix}/case     { caseNumber }                      -> { measures }   one case's
 *   POST {prefix}/cases    { caseNumbers: [...] } at most 100 -> { measures }   several cases' (a docket page)
 *   POST {prefix}/renew    { measureId, termDays, courtCode, caseNumber, documentNumber } -> { measure }
 *   POST {prefix}/release  { measureId, courtCode, caseNumber, documentNumber }           -> { measure, promoted }
 *        only the court and case that placed a measure may renew or release it
 *   POST {prefix}/deduct   { requestId, measureId, caseNumber, courtCode, amountFen }
 *        -> { deduction, measure, lapsed }   banks only: frozen funds to the court's case account
 *   measure = the book's Measure (mocks/shared/measures/measureTypes.ts) + history: [{ kind, at, note }]
 *             + deductions: [{ id, requestId, amountFen, at, transferredAt }]
 * Refusals, the same shape at every agency: { code, message, details } with the MeasureError
 * codes (plus NOT_SUPPORTED, BATCH_TOO_LARGE) and details such as { limitDays }; HTTP 404
 * MEASURE_NOT_FOUND, 409 for a conflict with the book's state, 422 for a request the law or
 * the interface does not allow.
 */
import type { Database } from '../../../lib/db/openDatabase';
import { MeasureBook, type MeasureBookOptions } from './measureBook';
import { type Actor, type AssetKind, type Deduction, type Measure, MeasureError, type MeasureErrorCode, type MeasureKind } from './measureTypes';
import { batchKeys } from '../batch';
import { AgencyRefusal, type EmulatorRequest, type Route } from '../startEmulator';

export const CONTROL_MAX_BATCH = 100;

/** How an emulator keeps its measure book: where, on which clock, how fast it answers. */
export interface AgencyControlOptions {
  database: Database;
  /** The book's table (and prefix of its side tables); one per agency, or per bank. */
  table: string;
  /** @default the wall clock */
  clock?: () => Date;
  /** How long the agency takes to answer a control request. @default 0 */
  answerDelayMs?: number;
}

const STATUS_OF: Record<MeasureErrorCode, number> = {
  INVALID_INPUT: 422,
  DOCUMENT_NUMBER_REQUIRED: 422,
  TERM_TOO_LONG: 422,
  MEASURE_NOT_FOUND: 404,
  REQUEST_ID_REUSED: 409,
  NOT_YOUR_MEASURE: 409,
  NOT_ACTIVE: 409,
  TERM_EXPIRED: 409,
  NOTHING_ACTIVE: 409,
  NOT_FROZEN_BY_CASE: 409,
  INSUFFICIENT_FROZEN: 409,
};

export interface ControlDeskOptions {
  /** Path prefix of the control interface, e.g. '/bdc/api/kz'. */
  prefix: string;
  book: MeasureBook;
  /** The (asset kind, measure kind) pairs this agency takes online; anything else is refused. */
  takes: ReadonlyArray<readonly [AssetKind, MeasureKind]>;
  /**
   * Checks a request against what the agency knows before it is served (e.g. the asset
   * exists); throw an AgencyRefusal to refuse it outright.
   */
  admit?(request: { assetKey: string; assetKind: AssetKind; kind: MeasureKind; amountFen?: number }): void;
  /** Banks: moves deducted funds to the court's case account; resolves once the court confirmed. */
  transfer?(deduction: Deduction): Promise<void>;
}

/** The agency's measure book as `control` describes it, with the agency's own look at an asset. */
export function openMeasureBook(control: AgencyControlOptions, assess?: MeasureBookOptions['assess']): Promise<MeasureBook> {
  return MeasureBook.open(control.database, {
    table: control.table,
    clock: control.clock ?? (() => new Date()),
    answerDelayMs: control.answerDelayMs,
    ...(assess ? { assess } : {}),
  });
}

type Body = Record<string, unknown>;

/** The control routes of one agency over its measure book. */
export function controlRoutes(options: ControlDeskOptions): Route[] {
  const { book, prefix } = options;
  const path = (name: string) => new RegExp(`^${prefix.replace(/[/.]/g, '\\$&')}/${name}$`);
  const route = (name: string, handle: (body: Body, req: EmulatorRequest) => Promise<unknown>): Route => ({
    method: 'POST',
    path: path(name),
    renderError: (refusal) => ({ code: refusal.agencyCode, message: refusal.message, details: refusal.details ?? {} }),
    async handle(req) {
      const body = (req.body ?? {}) as Body;
      if (typeof body !== 'object' || Array.isArray(body)) throw new AgencyRefusal(400, 'INVALID_INPUT', 'the body must be a JSON object');
      try {
        return { body: await handle(body, req) };
      } catch (error) {
        if (!(error instanceof MeasureError)) throw error;
        throw new AgencyRefusal(STATUS_OF[error.code], error.code, error.message, error.details);
      }
    },
  });

  /** Answers due and terms ended before anybody reads: the book is always current when shown. */
  const wire = async (measures: Measure[]) => {
    const ids = measures.map((m) => m.id);
    const [history, deductions] = await Promise.all([book.historyOf(ids), book.deductionsOf(ids)]);
    return measures.map((m) => ({
      ...m,
      history: history.filter((e) => e.measureId === m.id).map(({ kind, at, note }) => ({ kind, at, note })),
      deductions: deductions.filter((d) => d.measureId === m.id).map(({ id, requestId, amountFen, at, transferredAt }) => ({ id, requestId, amountFen, at, transferredAt })),
    }));
  };
  const current = async (measureId: string) => (await wire([await book.measure(measureId)]))[0];

  const flush = () => (options.transfer ? flushTransfers(book, options.transfer) : Promise.resolve());

  const routes = [
    route('submit', async (body) => {
      const assetKind = body.assetKind as AssetKind;
      const kind = body.kind as MeasureKind;
      if (!options.takes.some(([a, k]) => a === assetKind && k === kind)) {
        throw new AgencyRefusal(422, 'NOT_SUPPORTED', `this agency does not take ${String(kind)} of ${String(assetKind)} online`);
      }
      const request = {
        requestId: body.requestId as string,
        assetKind,
        assetKey: body.assetKey as string,
        caseNumber: body.caseNumber as string,
        courtCode: body.courtCode as string,
        documentNumber: body.documentNumber as string,
        kind,
        termDays: body.termDays as number,
        ...(body.amountFen === undefined || body.amountFen === null ? {} : { amountFen: body.amountFen as number }),
        ...(typeof body.partyKey === 'string' && body.partyKey !== '' ? { partyKey: body.partyKey } : {}),
      };
      options.admit?.(request);
      const measure = await book.request(request);
      return { measure: await current(measure.id) };
    }),
    route('feedback', async (body) => {
      await book.settleDue();
      return { measures: await wire(await book.measuresByRequestId(batchKeys(body, 'requestIds', CONTROL_MAX_BATCH, 'BATCH_TOO_LARGE'))) };
    }),
    route('measures', async (body) => {
      await book.settleDue();
      return { measures: await wire(await book.measuresOf(batchKeys(body, 'assetKeys', CONTROL_MAX_BATCH, 'BATCH_TOO_LARGE'))) };
    }),
    route('case', async (body) => {
      if (typeof body.caseNumber !== 'string' || body.caseNumber === '') throw new AgencyRefusal(400, 'INVALID_INPUT', 'caseNumber is required');
      await book.settleDue();
      return { measures: await wire(await book.measuresOfCase(body.caseNumber)) };
    }),
    route('cases', async (body) => {
      await book.settleDue();
      return { measures: await wire(await book.measuresOfCases(batchKeys(body, 'caseNumbers', CONTROL_MAX_BATCH, 'BATCH_TOO_LARGE'))) };
    }),
    route('renew', async (body) => {
      const renewed = await book.renew(String(body.measureId), body.termDays as number, actor(body));
      return { measure: await current(renewed.id) };
    }),
    route('release', async (body) => {
      const change = await book.release(String(body.measureId), actor(body));
      return { measure: await current(change.measure.id), promoted: change.promoted && (await current(change.promoted.id)) };
    }),
  ];
  if (options.transfer) {
    routes.push(
      route('deduct', async (body) => {
        const result = await book.deduct({
          requestId: body.requestId as string,
          measureId: String(body.measureId),
          caseNumber: body.caseNumber as string,
          courtCode: body.courtCode as string,
          amountFen: body.amountFen as number,
        });
        await flush();
        const [deduction] = await book.deductionsOf([result.measure.id]).then((all) => all.filter((d) => d.id === result.deduction.id));
        return { deduction, measure: await current(result.measure.id), lapsed: await wire(result.lapsed) };
      }),
    );
  }
  return routes;
}

function actor(body: Body): Actor {
  if (typeof body.courtCode !== 'string' || body.courtCode === '') throw new AgencyRefusal(400, 'INVALID_INPUT', 'courtCode is required');
  if (typeof body.documentNumber !== 'string' || body.documentNumber.trim() === '') {
    throw new AgencyRefusal(422, 'DOCUMENT_NUMBER_REQUIRED', 'a renewal or release needs its ruling / notice number');
  }
  return {
    courtCode: body.courtCode,
    documentNumber: body.documentNumber,
    ...(typeof body.caseNumber === 'string' ? { caseNumber: body.caseNumber } : {}),
  };
}

/**
 * Sends every deduction the court has not confirmed yet, oldest first. One the court refuses
 * or cannot take now stays pending and is tried again on the next flush (after the next
 * deduction, and when the agency starts), without holding back the others.
 */
export async function flushTransfers(book: MeasureBook, transfer: (deduction: Deduction) => Promise<void>): Promise<void> {
  for (const deduction of await book.pendingTransfers()) {
    try {
      await transfer(deduction);
    } catch {
      continue;
    }
    await book.markTransferred(deduction.id);
  }
}
