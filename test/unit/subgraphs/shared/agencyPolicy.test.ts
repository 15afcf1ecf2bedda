/**
 * The resilience policy at the agency edge (nock): which calls are retried and how often,
 * that retries and their backoff stay within the call's time budget, and the circuit
 * breaker: opening after failures in a row (not after refusals), sending nothing while
 * open, and closing again after a successful half-open probe.
 */
import nock, { type ReplyFnResult } from 'nock';
import { z } from 'zod';
import { useNockAtAgencyEdge } from '../../../support/nockAtAgencyEdge';
import { AgencyChannels } from '../../../../subgraphs/shared/agencyChannels';
import { AgencyError } from '../../../../subgraphs/shared/agencyError';
import { AgencyHttp } from '../../../../subgraphs/shared/agencyHttp';
import { type AgencyResilience, AgencyPolicy, type BackoffWait, RESILIENCE_DEFAULTS, resolveResilience } from '../../../../subgraphs/shared/agencyPolicy';
import { ControlClient } from '../../../../subgraphs/shared/measures/controlClient';
import { VehicleClient, VEHICLE_CONTROL_PREFIX } from '../../../../subgraphs/vehicle/client';
import { PATIENT_AGENCY_TIMEOUT_MS } from '../../../support/agencyLimits';

useNockAtAgencyEdge();

const BASE = 'http://agency.test';
const AGENCY = 'vehicle registry';
const PERSON = '11010519491231002X';
const BY_OWNER = '/jdc/query/byOwner';
const ok = z.object({ ok: z.literal(true) });

/** No retry waits longer than 1 ms here unless a test says otherwise: the tests count attempts, not time. */
const FAST: AgencyResilience = { backoffInitialMs: 1, backoffMaxMs: 1 };

/** Channels on node's fetch, so nock sees every call; nothing from the environment. */
function channels(resilience: AgencyResilience = {}, backoffWait?: BackoffWait): AgencyChannels {
  return new AgencyChannels({ resilience: { ...FAST, ...resilience }, pooled: false, env: {}, ...(backoffWait ? { backoffWait } : {}) });
}

/**
 * The clock of a test that calls it: jest's fake Date, frozen at T0, and nothing else faked
 * (nock, fetch and the abort timers stay real). AgencyHttp's deadlines, the policy's budget
 * and breaker report, and cockatiel's open time all read Date.now(), so in such a test time
 * passes only where it says so: no outcome depends on how fast the machine is.
 */
const T0 = Date.parse('2025-03-03T09:00:00.000Z');
function frozenClock() {
  jest.useFakeTimers({
    now: T0,
    doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame', 'requestIdleCallback', 'cancelIdleCallback', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
  });
  return {
    /** Time since T0 on the frozen clock. */
    elapsed: () => Date.now() - T0,
    advance: (ms: number) => jest.setSystemTime(Date.now() + ms),
  };
}

/** A backoff wait that sleeps nothing: it records each backoff and moves the frozen clock past it. */
function recordedWaits(clock: ReturnType<typeof frozenClock>) {
  const waits: number[] = [];
  const wait: BackoffWait = async (ms) => {
    waits.push(ms);
    clock.advance(ms);
  };
  return { waits, wait };
}

/** The time each attempt was given, from AgencyHttp's abort signal (the spy calls through). */
function attemptTimers() {
  const spy = jest.spyOn(AbortSignal, 'timeout');
  return () => spy.mock.calls.map(([ms]) => ms);
}

/**
 * A nock reply that takes the request and never answers: nock waits for the callback (the
 * third parameter), which is never called, so the attempt hangs until its caller aborts it.
 */
const hangs =
  (onRequest: () => void) =>
  (_uri: string, _body: unknown, _answer: (error: NodeJS.ErrnoException | null, result: ReplyFnResult) => void): void =>
    onRequest();

function vehicles(ch: AgencyChannels, timeoutMs = 1000) {
  let n = 0;
  return new VehicleClient({ baseUrl: BASE, timeoutMs, channels: ch, requestNumber: () => `SQBH${++n}` });
}

function http(ch: AgencyChannels, timeoutMs = 1000) {
  return new AgencyHttp({ agency: AGENCY, baseUrl: BASE, timeoutMs, channels: ch });
}

/** The registry's answer to whatever request number it was sent. */
const answered = (_uri: string, body: Record<string, unknown>) => ({ RESULT: '1', SQBH: body.SQBH, ROWS: [] });

async function failure(promise: Promise<unknown>): Promise<AgencyError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AgencyError);
  return error as AgencyError;
}

/** Requests that reached the agency edge without a matching interceptor: must stay 0 where nothing may be sent. */
let unmatched = 0;
const countUnmatched = () => unmatched++;
beforeEach(() => {
  unmatched = 0;
  nock.emitter.on('no match', countUnmatched);
});
afterEach(() => {
  nock.emitter.removeListener('no match', countUnmatched);
  jest.useRealTimers();
  jest.restoreAllMocks();
});

describe('settings', () => {
  it('takes options over environment over defaults, and refuses nonsense at start', () => {
    expect(resolveResilience({}, {})).toEqual(RESILIENCE_DEFAULTS);
    expect(resolveResilience({ retries: 0 }, { AGENCY_RETRIES: '4', AGENCY_BREAKER_HALF_OPEN_MS: '250' })).toEqual({
      ...RESILIENCE_DEFAULTS,
      retries: 0,
      breakerHalfOpenAfterMs: 250,
    });
    expect(() => resolveResilience({}, { AGENCY_BREAKER_FAILURES: '0' })).toThrow('AGENCY_BREAKER_FAILURES must be an integer of at least 1, got 0.');
    expect(() => resolveResilience({ retries: 1.5 })).toThrow('resilience.retries must be an integer of at least 0, got 1.5.');
    expect(() => resolveResilience({ backoffInitialMs: 300, backoffMaxMs: 200 }, {})).toThrow(/backoffMaxMs/);
  });

  it('backs off exponentially with jitter, capped', () => {
    const settings = resolveResilience({}, {});
    const lowest = new AgencyPolicy(AGENCY, { agency: AGENCY }, settings, () => 0);
    const highest = new AgencyPolicy(AGENCY, { agency: AGENCY }, settings, () => 0.999);
    expect([0, 1, 2].map((retry) => lowest.backoff(retry))).toEqual([50, 100, 200]);
    expect([0, 1, 2].map((retry) => highest.backoff(retry))).toEqual([100, 200, 200]);
  });
});

describe('retries', () => {
  it('retries an idempotent read after transient failures, with a new request number each attempt', async () => {
    const sent: unknown[] = [];
    nock(BASE)
      .post(BY_OWNER).reply(503, 'busy')
      .post(BY_OWNER).replyWithError('socket hang up')
      .post(BY_OWNER).reply(200, answered)
      .on('request', (_req, _interceptor, body: string) => sent.push(JSON.parse(body).SQBH));
    expect(await vehicles(channels()).vehiclesByOwner([PERSON])).toEqual(new Map());
    expect(sent).toEqual(['SQBH1', 'SQBH2', 'SQBH3']);
  });

  it('gives up after `retries` retries with the last failure', async () => {
    nock(BASE).post(BY_OWNER).times(3).replyWithError('connect ECONNREFUSED');
    const error = await failure(vehicles(channels({ retries: 2 })).vehiclesByOwner([PERSON]));
    expect({ message: error.message, extensions: error.extensions }).toEqual({
      message: 'The vehicle registry could not be reached.',
      extensions: { code: 'AGENCY_UNAVAILABLE', agency: AGENCY },
    });
  });

  it.each([
    ['HTTP 500 (the agency failed on this request)', 500, { code: 'SYSTEM_BUSY', msg: 'busy' }, 'AGENCY_UNAVAILABLE'],
    ['a refusal', 400, { ERRCODE: 'E1', ERRMSG: 'no' }, 'AGENCY_REFUSED'],
    ['an answer of the wrong shape', 200, { unexpected: true }, 'AGENCY_BAD_RESPONSE'],
  ])('does not retry %s', async (_what, status, body, code) => {
    nock(BASE).post(BY_OWNER).reply(status, body);
    expect((await failure(vehicles(channels()).vehiclesByOwner([PERSON]))).code).toBe(code);
    expect(unmatched).toBe(0);
  });

  it('sends a control request once, whatever happens to it', async () => {
    const control = new ControlClient({ agency: AGENCY, baseUrl: BASE, prefix: VEHICLE_CONTROL_PREFIX, timeoutMs: PATIENT_AGENCY_TIMEOUT_MS, channels: channels() });
    let attempts = 0;
    nock(BASE).post(`${VEHICLE_CONTROL_PREFIX}/submit`).times(3).reply(() => (attempts++, [503, 'busy']));
    const submission = { requestId: 'r1', assetKind: 'VEHICLE', kind: 'SEIZE', assetKey: 'LSVAG2186N2100001', documentNumber: 'd1', termDays: 730, partyKey: '330106197504189356' } as const;
    const error = await failure(control.submit({ courtCode: '浙0106', caseNumber: '(2025)浙0106执1号' }, submission));
    expect([error.code, attempts]).toEqual(['AGENCY_UNAVAILABLE', 1]);
    nock.cleanAll();
  });

  it('retries the control interface reads (measures of assets)', async () => {
    const control = new ControlClient({ agency: AGENCY, baseUrl: BASE, prefix: VEHICLE_CONTROL_PREFIX, timeoutMs: PATIENT_AGENCY_TIMEOUT_MS, channels: channels() });
    nock(BASE).post(`${VEHICLE_CONTROL_PREFIX}/measures`).replyWithError('socket hang up');
    nock(BASE).post(`${VEHICLE_CONTROL_PREFIX}/measures`).reply(200, { measures: [] });
    expect(await control.ofAssets(['LSVAG2186N2100001'])).toEqual(new Map());
  });

  it('treats GET as a read', async () => {
    nock(BASE).get('/units').reply(502, 'bad gateway');
    nock(BASE).get('/units').reply(200, { ok: true });
    expect(await http(channels()).get('/units', ok)).toEqual({ ok: true });
  });
});

describe('retries within the time budget', () => {
  it('makes no retry whose backoff would outlast the budget', async () => {
    const clock = frozenClock();
    const { waits, wait } = recordedWaits(clock);
    let attempts = 0;
    nock(BASE).post(BY_OWNER).replyWithError('socket hang up').on('request', () => attempts++);
    const error = await failure(vehicles(channels({ backoffInitialMs: 1000, backoffMaxMs: 1000 }, wait), 400).vehiclesByOwner([PERSON]));
    expect(error.code).toBe('AGENCY_UNAVAILABLE');
    // A transient failure, retries left, but the 1000 ms backoff does not fit the 400 ms budget:
    // the call fails at once, waiting for nothing and sending nothing more.
    expect({ attempts, waits, elapsed: clock.elapsed() }).toEqual({ attempts: 1, waits: [], elapsed: 0 });
    expect(unmatched).toBe(0);
  });

  it('ends a slow, failing read within its budget however many retries are allowed', async () => {
    const clock = frozenClock();
    const { waits, wait } = recordedWaits(clock);
    const timers = attemptTimers();
    const started: number[] = [];
    // Each attempt takes the agency 250 ms (on the frozen clock) and ends in a transient 503.
    nock(BASE)
      .post(BY_OWNER)
      .times(21)
      .reply(() => {
        started.push(clock.elapsed());
        clock.advance(250);
        return [503, 'busy'];
      });
    const error = await failure(vehicles(channels({ retries: 20, backoffInitialMs: 50, backoffMaxMs: 50 }, wait), 1000).vehiclesByOwner([PERSON]));
    expect(error.code).toBe('AGENCY_UNAVAILABLE');
    // 20 retries allowed, 2 made: each only while a quarter of the 1000 ms budget (250 ms) is left
    // after its backoff. After the third attempt, at 850 ms, 150 ms are left: no retry.
    expect({ started, waits, ended: clock.elapsed() }).toEqual({ started: [0, 300, 600], waits: [50, 50], ended: 850 });
    // Every attempt was given only what was left of the budget: its timer ends at the deadline.
    expect(timers()).toEqual([1000, 700, 400]);
    nock.cleanAll();
  });

  it('cuts a retry that hangs at the call\'s deadline, not after a budget of its own', async () => {
    const clock = frozenClock();
    const { waits, wait } = recordedWaits(clock);
    const timers = attemptTimers();
    let attempts = 0;
    nock(BASE)
      .post(BY_OWNER)
      .reply(() => (attempts++, clock.advance(100), [503, 'busy']))
      .post(BY_OWNER)
      .reply(hangs(() => attempts++));
    const error = await failure(vehicles(channels({ retries: 5, backoffInitialMs: 20, backoffMaxMs: 20 }, wait), 400).vehiclesByOwner([PERSON]));
    expect({ message: error.message, code: error.code }).toEqual({ message: 'The vehicle registry did not answer within 400 ms.', code: 'AGENCY_TIMEOUT' });
    // The retry started at 120 ms with 280 ms of the budget left, and its timer (the only one
    // that could end a hanging attempt) was set to those 280 ms; a timeout is not retried.
    expect({ attempts, waits, timers: timers() }).toEqual({ attempts: 2, waits: [20], timers: [400, 280] });
  });

  it('times out a hanging agency once, at the budget, without retrying', async () => {
    frozenClock();
    const timers = attemptTimers();
    let attempts = 0;
    const waits: number[] = [];
    nock(BASE)
      .post(BY_OWNER)
      .times(3)
      .reply(hangs(() => attempts++));
    const error = await failure(vehicles(channels({}, async (ms) => void waits.push(ms)), 150).vehiclesByOwner([PERSON]));
    expect({ message: error.message, code: error.code }).toEqual({ message: 'The vehicle registry did not answer within 150 ms.', code: 'AGENCY_TIMEOUT' });
    // The agency never answers: the timer that ended the call is the only one set, the 150 ms budget's.
    expect({ attempts, waits, timers: timers() }).toEqual({ attempts: 1, waits: [], timers: [150] });
    nock.cleanAll();
  });
});

describe('circuit breaker', () => {
  const breakerOf = (ch: AgencyChannels) => ch.report()[AGENCY]!.breaker;

  it('opens after failed calls in a row (unavailable, timed out, bad answer), then sends nothing', async () => {
    const ch = channels({ retries: 0, breakerFailures: 3, breakerHalfOpenAfterMs: 60_000 });
    const client = vehicles(ch, 100);
    nock(BASE).post(BY_OWNER).reply(500, {});
    nock(BASE).post(BY_OWNER).delay(300).reply(200, {});
    nock(BASE).post(BY_OWNER).reply(200, '<html>');
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await failure(client.vehiclesByOwner([PERSON]))).code);
    expect(codes).toEqual(['AGENCY_UNAVAILABLE', 'AGENCY_TIMEOUT', 'AGENCY_BAD_RESPONSE']);
    expect(ch.report()).toEqual({ [AGENCY]: { breaker: 'open', openedAt: expect.any(String) } });

    const open = await failure(client.vehiclesByOwner([PERSON]));
    expect({ message: open.message, extensions: open.extensions }).toEqual({
      message: 'The vehicle registry was not called: its circuit breaker is open after 3 failed calls in a row; it will be tried again in 60 s.',
      extensions: { code: 'AGENCY_UNAVAILABLE', agency: AGENCY, breaker: 'open' },
    });
    // The control interface is the same system: it is not called either.
    const control = new ControlClient({ agency: AGENCY, baseUrl: BASE, prefix: VEHICLE_CONTROL_PREFIX, channels: ch });
    expect((await failure(control.ofCase('(2025)浙0106执1号'))).extensions.breaker).toBe('open');
    expect(unmatched).toBe(0);
  });

  it('is not opened by refusals: the agency is answering', async () => {
    const ch = channels({ retries: 0, breakerFailures: 2 });
    nock(BASE).post(BY_OWNER).times(4).reply(400, { ERRCODE: 'E1', ERRMSG: 'no' });
    for (let i = 0; i < 4; i++) expect((await failure(vehicles(ch).vehiclesByOwner([PERSON]))).code).toBe('AGENCY_REFUSED');
    expect(breakerOf(ch)).toBe('closed');
  });

  it('counts a refusal as the agency working: it resets the failures in a row', async () => {
    const ch = channels({ retries: 0, breakerFailures: 2 });
    nock(BASE).post(BY_OWNER).reply(500, {});
    nock(BASE).post(BY_OWNER).reply(400, { ERRCODE: 'E1', ERRMSG: 'no' });
    nock(BASE).post(BY_OWNER).reply(500, {});
    for (let i = 0; i < 3; i++) await failure(vehicles(ch).vehiclesByOwner([PERSON]));
    expect(breakerOf(ch)).toBe('closed');
  });

  it('counts each failed attempt of a retried read', async () => {
    const ch = channels({ retries: 2, breakerFailures: 3 });
    nock(BASE).post(BY_OWNER).times(3).replyWithError('socket hang up');
    await failure(vehicles(ch).vehiclesByOwner([PERSON]));
    expect(breakerOf(ch)).toBe('open');
  });

  it('lets one probe through after the open time and closes when it succeeds', async () => {
    const clock = frozenClock();
    const ch = channels({ retries: 0, breakerFailures: 2, breakerHalfOpenAfterMs: 150 });
    const client = vehicles(ch);
    nock(BASE).post(BY_OWNER).times(2).reply(500, {});
    for (let i = 0; i < 2; i++) await failure(client.vehiclesByOwner([PERSON]));
    expect(breakerOf(ch)).toBe('open');

    // Open for exactly breakerHalfOpenAfterMs: 1 ms before, a call is still refused unsent.
    clock.advance(149);
    expect(breakerOf(ch)).toBe('open');
    expect((await failure(client.vehiclesByOwner([PERSON]))).extensions.breaker).toBe('open');
    clock.advance(1);
    expect(breakerOf(ch)).toBe('half-open');
    nock(BASE).post(BY_OWNER).reply(200, answered);
    expect(await client.vehiclesByOwner([PERSON])).toEqual(new Map());
    expect(ch.report()).toEqual({ [AGENCY]: { breaker: 'closed' } });
    expect(unmatched).toBe(0);
  });

  it('opens again at once when the probe fails', async () => {
    const clock = frozenClock();
    const ch = channels({ retries: 0, breakerFailures: 2, breakerHalfOpenAfterMs: 150 });
    const client = vehicles(ch);
    nock(BASE).post(BY_OWNER).times(3).reply(500, {});
    for (let i = 0; i < 2; i++) await failure(client.vehiclesByOwner([PERSON]));
    clock.advance(150);
    expect(breakerOf(ch)).toBe('half-open');
    expect((await failure(client.vehiclesByOwner([PERSON]))).extensions.httpStatus).toBe(500);
    expect(breakerOf(ch)).toBe('open');
    expect((await failure(client.vehiclesByOwner([PERSON]))).extensions.breaker).toBe('open');
    expect(unmatched).toBe(0);
  });

  it('keeps one breaker per agency and per bank', async () => {
    const ch = channels({ retries: 0, breakerFailures: 1 });
    const ncb = new AgencyHttp({ agency: 'bank', provider: 'NCB', baseUrl: BASE, channels: ch });
    const web = new AgencyHttp({ agency: 'bank', provider: 'WEB', baseUrl: 'http://web.test', channels: ch });
    nock(BASE).get('/x').reply(500, {});
    nock('http://web.test').get('/x').reply(200, { ok: true });
    await failure(ncb.get('/x', ok));
    expect(await web.get('/x', ok)).toEqual({ ok: true });
    expect(ch.report()).toEqual({ 'bank NCB': { breaker: 'open', openedAt: expect.any(String) }, 'bank WEB': { breaker: 'closed' } });
  });
});
