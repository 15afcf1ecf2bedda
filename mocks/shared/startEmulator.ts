import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FAULT_MODES, type Faults, NO_FAULTS } from './faults';

export interface EmulatorRequest {
  method: string;
  path: string;
  /** Capture groups of the route's path pattern. */
  params: string[];
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface EmulatorResponse {
  status?: number;
  body: unknown;
}

export interface Route {
  method: 'GET' | 'POST';
  path: RegExp;
  handle(req: EmulatorRequest): EmulatorResponse | Promise<EmulatorResponse>;
  /** An interface with its own error shape (the network's control interface); else the emulator's. */
  renderError?(refusal: AgencyRefusal): unknown;
}

/** A refusal in the agency's own terms; `render` of the emulator turns it into its error shape. */
export class AgencyRefusal extends Error {
  constructor(
    readonly status: number,
    readonly agencyCode: string,
    message: string,
    /** Facts a client can act on (e.g. the limit that was exceeded), where the error shape has room for them. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export interface EmulatorOptions {
  name: string;
  routes: Route[];
  /**
   * How this agency writes an error body (every agency has its own shape); `path` lets an
   * emulator that fronts two systems answer in the shape of the one asked.
   */
  renderError(refusal: AgencyRefusal, path: string): unknown;
  /** The agency's own answer time. @default 0 */
  latencyMs?: number;
  /** @default 0 (ephemeral) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /**
   * How many of the latest calls `calls` and `GET /__calls` keep (older ones are dropped;
   * `callsSeen` counts them all), so an emulator under a long run holds bounded memory (at
   * most a quarter more between reads). @default EMULATOR_CALL_WINDOW, else DEFAULT_CALL_WINDOW (10,000)
   */
  callWindow?: number;
}

/** How many of its latest calls an emulator keeps unless told otherwise. */
export const DEFAULT_CALL_WINDOW = 10_000;

export interface CallRecord {
  method: string;
  path: string;
  body: unknown;
  headers: IncomingMessage['headers'];
}

export interface Emulator {
  readonly name: string;
  readonly url: string;
  /** The latest `callWindow` requests that reached a route, oldest first (cleared by resetCalls). */
  readonly calls: CallRecord[];
  /** Every request that reached a route since the last resetCalls, including those the window dropped. */
  readonly callsSeen: number;
  /** How many calls `calls` keeps; lowering it drops the oldest at once. */
  callWindow: number;
  latencyMs: number;
  faults: Faults;
  setFaults(faults: Partial<Faults>): void;
  resetCalls(): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1 << 20;

/**
 * Starts one agency's legacy HTTP/JSON API on a port. Besides the agency's routes it serves
 * `GET /__calls` (`{ seen, calls }`: the count since the last reset, and the calls in the
 * window), `POST /__faults` and `GET /__health` for tests, benchmarks and humans.
 */
export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  // One array, only ever pushed to and trimmed in place: benchmarks hook its push.
  const calls: CallRecord[] = [];
  const state = { latencyMs: options.latencyMs ?? 0, faults: { ...NO_FAULTS }, callWindow: callWindow(options.callWindow), callsSeen: 0 };
  // Trimmed to the window whenever it is read, and while unread in one splice once a quarter
  // more has piled up: O(1) per call at any window size (shifting one off per call moves the
  // whole array once it is large: 130 µs a call at 100,000).
  const trim = () => {
    if (calls.length > state.callWindow) calls.splice(0, calls.length - state.callWindow);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const path = new URL(req.url ?? '/', 'http://emulator').pathname;
      if (!res.headersSent) send(res, 500, options.renderError(new AgencyRefusal(500, 'INTERNAL', String(error)), path));
    });
  });
  server.keepAliveTimeout = 30_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const body = await readJson(req);
    if (url.pathname.startsWith('/__')) return control(url.pathname, req.method ?? 'GET', body, res);

    const route = options.routes.find((r) => r.method === req.method && r.path.test(url.pathname));
    if (!route) return send(res, 404, options.renderError(new AgencyRefusal(404, 'NOT_FOUND', `no such endpoint ${req.method} ${url.pathname}`), url.pathname));
    calls.push({ method: req.method ?? 'GET', path: url.pathname, body: body.value, headers: req.headers });
    state.callsSeen += 1;
    if (calls.length >= state.callWindow + Math.ceil(state.callWindow / 4)) trim();

    const { faults } = state;
    if (faults.mode === 'down') return void req.socket.destroy();
    if (faults.mode === 'hang') return; // the socket stays open until the client gives up or close()
    const delay = state.latencyMs + faults.extraLatencyMs;
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    if (faults.mode === 'error500') return send(res, 500, options.renderError(new AgencyRefusal(500, 'SYSTEM_BUSY', 'system busy, try later'), url.pathname));
    if (faults.mode === 'garbage') return sendRaw(res, 200, '<html><body>Service Temporarily Unavailable</body></html>');
    if (faults.mode === 'wrongShape') return send(res, 200, { unexpected: true, rows: 'none' });

    if (!body.ok) return send(res, 400, options.renderError(new AgencyRefusal(400, 'BAD_REQUEST', 'request body is not JSON'), url.pathname));
    let answer: EmulatorResponse;
    try {
      answer = await route.handle({
        method: req.method ?? 'GET',
        path: url.pathname,
        params: route.path.exec(url.pathname)!.slice(1),
        query: url.searchParams,
        headers: req.headers,
        body: body.value,
      });
    } catch (error) {
      if (!(error instanceof AgencyRefusal)) throw error;
      return send(res, error.status, route.renderError ? route.renderError(error) : options.renderError(error, url.pathname));
    }
    if (faults.mode === 'truncated') {
      const text = JSON.stringify(answer.body);
      return sendRaw(res, answer.status ?? 200, text.slice(0, Math.max(1, Math.floor(text.length / 2))));
    }
    send(res, answer.status ?? 200, answer.body);
  }

  function control(path: string, method: string, body: { ok: boolean; value: unknown }, res: ServerResponse): void {
    if (path === '/__health') return send(res, 200, { name: options.name, status: 'up' });
    if (path === '/__calls' && method === 'GET') {
      trim();
      return send(res, 200, { seen: state.callsSeen, calls: calls.map(({ method: m, path: p, body: b }) => ({ method: m, path: p, body: b })) });
    }
    if (path === '/__faults' && method === 'POST' && body.ok) {
      const patch = body.value as Partial<Faults>;
      if (patch.mode !== undefined && !FAULT_MODES.includes(patch.mode)) {
        return send(res, 400, { error: `mode must be one of ${FAULT_MODES.join(', ')}` });
      }
      emulator.setFaults(patch);
      return send(res, 200, state.faults);
    }
    send(res, 404, { error: 'unknown control endpoint' });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;

  const emulator: Emulator = {
    name: options.name,
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    get calls() {
      trim();
      return calls;
    },
    get callsSeen() {
      return state.callsSeen;
    },
    get callWindow() {
      return state.callWindow;
    },
    set callWindow(n: number) {
      state.callWindow = callWindow(n);
      trim();
    },
    get latencyMs() {
      return state.latencyMs;
    },
    set latencyMs(ms: number) {
      state.latencyMs = ms;
    },
    get faults() {
      return state.faults;
    },
    set faults(f: Faults) {
      state.faults = { ...f };
    },
    setFaults(patch) {
      state.faults = { ...state.faults, ...patch };
    },
    resetCalls() {
      calls.length = 0;
      state.callsSeen = 0;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return emulator;
}

/** The window asked for, else EMULATOR_CALL_WINDOW, else the default; a positive integer. */
function callWindow(asked: number | undefined): number {
  const raw = process.env.EMULATOR_CALL_WINDOW;
  const n = asked ?? (raw === undefined || raw === '' ? DEFAULT_CALL_WINDOW : Number(raw));
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`An emulator's call window must be a positive integer, got ${asked ?? `EMULATOR_CALL_WINDOW=${raw}`}`);
  return n;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  sendRaw(res, status, JSON.stringify(body), 'application/json; charset=utf-8');
}

function sendRaw(res: ServerResponse, status: number, text: string, type = 'text/html'): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<{ ok: boolean; value: unknown }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return { ok: false, value: undefined };
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  } catch {
    return { ok: false, value: undefined };
  }
}
