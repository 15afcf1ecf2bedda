/**
 * The benchmark's agencies, in one process of their own: the agency emulators with a fixed
 * latency over a seeded population, started by stack/startStack.ts exactly as `npm start` runs
 * them. The subgraphs and the gateway startStack also starts are stopped at once: the
 * subgraphs run in a process of their own (processes/subgraphs.ts), each gateway under test in
 * its own (processes/*Gateway.ts).
 */
import { performance } from 'node:perf_hooks';
import { startStack } from '../../stack/startStack';
import { createPopulation, type CaseRecord } from '../../mocks/population';
import type { CallRecord, Emulator } from '../../mocks/shared/startEmulator';
import { serveChild } from '../lib/child';

export interface BackendArgs {
  persons: number;
  seed?: number;
  latencyMs: number;
  /** Collective cases of `sweepCaseSize` debtors each, for the bulk sweeps. */
  sweepCases: number;
  sweepCaseSize: number;
}

/** What the workload needs of a case: who may ask in it, and whom the gateway would sign as its debtors. */
export interface BenchCase {
  caseNumber: string;
  courtCode: string;
  officer: string;
  debtors: string[];
  outstandingFen: string;
}

export interface BackendInfo {
  secret: string;
  emulatorUrls: Record<string, string>;
  /** Active cases of the population, for the dossier load (each request a different case). */
  cases: BenchCase[];
  /** Collective cases whose debtors are persons 0..N-1, `sweepCaseSize` each, in order. */
  sweepCases: BenchCase[];
  memoryMb: number;
}

/** A call an emulator received, with when it arrived (ms, this process's clock). */
export interface TimedCall {
  emulator: string;
  method: string;
  path: string;
  /** RCC pages long answers: only a batch's first page is a call of the batch. */
  firstPage: boolean;
  at: number;
}

/** A call as it can be sent again, for measuring an agency on its own. */
export interface ReplayableCall {
  emulator: string;
  method: string;
  path: string;
  body: unknown;
  headers: Record<string, string>;
}

const keyOf = (p: CaseRecord['debtors'][number]) => (p.kind === 'PERSON' ? p.idNumber : p.creditCode);
const toBenchCase = (c: CaseRecord): BenchCase => ({
  caseNumber: c.caseNumber,
  courtCode: c.courtCode,
  officer: c.officer,
  debtors: c.debtors.map(keyOf),
  outstandingFen: String(c.outstandingFen),
});

serveChild<BackendInfo>(async (args: BackendArgs) => {
  const population = createPopulation({ persons: args.persons, seed: args.seed });
  const taken = new Set(population.cases.map((c) => c.caseNumber));
  const sweep: CaseRecord[] = [];
  for (let k = 0, serial = 90001; k < args.sweepCases; serial += 1) {
    const caseNumber = `(2026)浙0106执${serial}号`;
    if (taken.has(caseNumber)) continue;
    const debtors = population.persons.slice(k * args.sweepCaseSize, (k + 1) * args.sweepCaseSize);
    if (debtors.length < args.sweepCaseSize) throw new Error(`--persons must be at least ${args.sweepCases * args.sweepCaseSize} for the sweep`);
    sweep.push({
      caseNumber,
      courtCode: '浙0106',
      status: 'ACTIVE',
      cause: '金融借款合同纠纷',
      amountDueFen: 900_000_000_00,
      outstandingFen: 900_000_000_00,
      filedOn: '2026-06-01',
      closedOn: null,
      officer: '浙0106-009',
      applicants: [{ kind: 'COMPANY', creditCode: population.companies[0]!.creditCode }],
      debtors: debtors.map((p) => ({ kind: 'PERSON' as const, idNumber: p.idNumber })),
    });
    k += 1;
  }
  population.cases.push(...sweep);

  const stack = await startStack({
    population,
    agencyLatencyMs: args.latencyMs,
    // Agencies' books and the audit subgraph's reads in memory: the gateways under test
    // write their own audit databases.
    auditDatabaseUrl: undefined,
    redisUrl: undefined,
  });
  await stack.gateway.stop();
  for (const subgraph of Object.values(stack.subgraphs)) await subgraph.stop();

  // Arrival times of every call, to count the waves of agency calls a request makes.
  const arrivals = new Map<Emulator, number[]>();
  for (const emulator of Object.values(stack.emulators)) {
    const times: number[] = [];
    arrivals.set(emulator, times);
    const calls = emulator.calls as CallRecord[];
    calls.push = (...items: CallRecord[]) => {
      for (let i = 0; i < items.length; i += 1) times.push(performance.now());
      return Array.prototype.push.apply(calls, items);
    };
  }
  const reset = () => {
    for (const [emulator, times] of arrivals) {
      emulator.resetCalls();
      times.length = 0;
    }
  };

  return {
    info: {
      secret: stack.subgraphSecret,
      emulatorUrls: Object.fromEntries(Object.entries(stack.emulators).map(([name, e]) => [name, e.url])),
      cases: population.cases.filter((c) => c.status === 'ACTIVE' && !sweep.includes(c)).map(toBenchCase),
      sweepCases: sweep.map(toBenchCase),
      memoryMb: Math.round(process.memoryUsage().rss / 2 ** 20),
    },
    commands: {
      reset,
      calls(): TimedCall[] {
        return Object.entries(stack.emulators).flatMap(([name, emulator]) =>
          emulator.calls.map((call, i) => ({
            emulator: name,
            method: call.method,
            path: call.path,
            firstPage: ((call.body as { page?: number } | undefined)?.page ?? 1) === 1,
            at: arrivals.get(emulator)![i] ?? 0,
          })),
        );
      },
      replayable(): ReplayableCall[] {
        return Object.entries(stack.emulators).flatMap(([name, emulator]) =>
          emulator.calls.map((call) => ({
            emulator: name,
            method: call.method,
            path: call.path,
            body: call.body,
            headers: Object.fromEntries(
              Object.entries(call.headers).filter(([h, v]) => typeof v === 'string' && (h.startsWith('x-') || h === 'content-type' || h === 'accept')),
            ) as Record<string, string>,
          })),
        );
      },
      memory: () => Math.round(process.memoryUsage().rss / 2 ** 20),
    },
    onStop: () => stack.stop(),
  };
});
