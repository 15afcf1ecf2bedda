import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import type { HttpRequest } from './workload';

export interface LoadResult {
  connections: number;
  durationS: number;
  requests: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  /** Transport errors, timeouts and non-2xx answers. */
  failed: number;
  /** 2xx answers carrying GraphQL errors. */
  graphqlErrors: number;
  /**
   * CPU time per answered request of each watched process (user + system, all its threads),
   * in ms. Far steadier than throughput on a shared machine: other tenants take turns on the
   * cores, not work from these processes.
   */
  cpuMsPerRequest: Record<string, number>;
}

/** Drives `url` with `connections` concurrent connections for `durationS`, a fresh request each time. */
export async function runLoad(
  url: string,
  connections: number,
  durationS: number,
  next: () => HttpRequest,
  /** Processes whose CPU is counted, by name (a name may stand for several processes). */
  watch: Record<string, readonly number[]> = {},
): Promise<LoadResult> {
  const before = Object.fromEntries(Object.entries(watch).map(([name, pids]) => [name, cpuMsOf(pids)]));
  const result = await autocannon({
    url,
    connections,
    duration: durationS,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => ({ ...request, method: 'POST', ...next() }),
      },
    ],
    verifyBody: (body) => !body.includes('"errors"'),
  });
  const requests = result['2xx'] + result.non2xx;
  // Requests still in flight when autocannon stops are finished by the servers all the same:
  // wait until they are idle, then share the CPU among every request sent.
  await untilIdle(Object.values(watch).flat());
  const sent = Math.max(1, result.requests.sent, requests);
  const cpuMsPerRequest = Object.fromEntries(
    Object.entries(watch).map(([name, pids]) => [name, round((cpuMsOf(pids) - before[name]!) / sent, 2)]),
  );
  return {
    connections,
    durationS,
    requests,
    rps: round(requests / result.duration, 1),
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    mean: round(result.latency.mean, 2),
    failed: result.errors + result.timeouts + result.non2xx,
    graphqlErrors: result.mismatches,
    cpuMsPerRequest,
  };
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** Waits until the processes use (almost) no CPU for 200 ms, at most 10 s. */
async function untilIdle(pids: number[]): Promise<void> {
  const total = () => pids.reduce((sum, pid) => sum + cpuMs(pid), 0);
  const deadline = Date.now() + 10_000;
  let last = total();
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const now = total();
    if (now - last <= 2 * TICK_MS) return;
    last = now;
  }
}

/** CPU time a process has used so far (user + system, all threads), ms; NaN if unknown. */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces) in parentheses; utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return NaN;
  }
}

/** CPU time of several processes together, ms. */
function cpuMsOf(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => sum + cpuMs(pid), 0);
}

/** One POST, timed; the answer parsed. */
export async function post(url: string, request: HttpRequest): Promise<{ ms: number; status: number; body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } }> {
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers: request.headers, body: request.body });
  const body = (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  return { ms: performance.now() - started, status: response.status, body };
}

/** A process's resident memory now and at its peak (Linux /proc), in MiB. */
export function processMemory(pid: number): { rssMb: number; peakMb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: round(kb('VmRSS') / 1024, 1), peakMb: round(kb('VmHWM') / 1024, 1) };
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; returns the highest sample. */
export function sampleMemory(pid: number, everyMs = 20): () => number {
  let peak = 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, processMemory(pid)?.rssMb ?? 0);
  }, everyMs);
  return () => {
    clearInterval(timer);
    return Math.max(peak, processMemory(pid)?.rssMb ?? 0);
  };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * How many agency calls had to wait for an earlier one (waves of the critical path): a call
 * can depend on another only if that one had been answered when it left, i.e. arrived at
 * least one agency latency earlier. Counted on a single request on a quiet system.
 */
export function agencyWaves(arrivals: readonly number[], latencyMs: number): number {
  const sorted = [...arrivals].sort((a, b) => a - b);
  const depth: number[] = [];
  let waves = 0;
  for (let i = 0; i < sorted.length; i += 1) {
    let d = 1;
    for (let j = 0; j < i; j += 1) if (sorted[j]! + latencyMs * 0.9 <= sorted[i]!) d = Math.max(d, depth[j]! + 1);
    depth.push(d);
    waves = Math.max(waves, d);
  }
  return waves;
}
