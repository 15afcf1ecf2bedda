/**
 * The gateway's pooled transport to its subgraphs, measured against gateway-js's own fetcher
 * on the same stack and workload: connections opened per subgraph, throughput and latency.
 * Only the connection counts are asserted; the timings are printed.
 */
import type { Socket } from 'node:net';
import type { RunningGateway } from '../../gateway/createGateway';
import { SUBGRAPH_TRANSPORT_DEFAULTS } from '../../gateway/transport/subgraphTransport';
import { officerHeaders } from '../support/courtRequest';
import { useStack } from '../support/stack';
import { startExtraGateway } from './extraGateway';

const stack = useStack({ persons: 200 });

const REQUESTS = 120;
const CONCURRENCY = 12;
/** A debtor's holdings at five agencies: six subgraph calls per request. */
const HOLDINGS = `query Holdings($id: IdNumber!) { person(idNumber: $id) {
  name bankAccounts { accountNumber balance } realEstate { unitNumber } vehicles { vin } shareholdings { ratio } socialInsurance { status }
} }`;

interface Run {
  ms: number;
  p50: number;
  p95: number;
  /** New TCP connections each subgraph accepted during the run. */
  connections: Record<string, number>;
}

/** Drives REQUESTS requests, CONCURRENCY at a time, counting the connections each subgraph accepts. */
async function drive(gateway: RunningGateway): Promise<Run> {
  const { population: pop, subgraphs } = stack();
  const kase = pop.scenarios.richDebtor.caseNumber;
  const headers = { 'content-type': 'application/json', ...(await officerHeaders(pop, kase)) };
  const body = JSON.stringify({ query: HOLDINGS, variables: { id: pop.scenarios.richDebtor.idNumber } });
  const connections: Record<string, number> = {};
  const counters = Object.entries(subgraphs).map(([name, s]) => {
    connections[name] = 0;
    const count = (_socket: Socket) => void (connections[name]! += 1);
    s.httpServer.on('connection', count);
    return () => s.httpServer.off('connection', count);
  });
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        next += 1;
        const t = performance.now();
        const response = await fetch(gateway.url, { method: 'POST', headers, body });
        const answer = (await response.json()) as { errors?: unknown };
        if (response.status !== 200 || answer.errors) throw new Error(`request failed: ${JSON.stringify(answer)}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const ms = performance.now() - started;
  for (const stop of counters) stop();
  latencies.sort((a, b) => a - b);
  return { ms, p50: latencies[Math.floor(latencies.length / 2)]!, p95: latencies[Math.floor(latencies.length * 0.95)]!, connections };
}

describe('gateway -> subgraph transport', () => {
  let pooled: RunningGateway;
  let gatewayJs: RunningGateway;

  beforeAll(async () => {
    // Identical reads would be shared; every request here must really reach the subgraphs.
    pooled = await startExtraGateway(stack(), { shareInflightReads: false });
    gatewayJs = await startExtraGateway(stack(), { shareInflightReads: false, subgraphTransport: 'gateway-js' });
  });

  afterAll(async () => {
    await pooled?.stop();
    await gatewayJs?.stop();
  });

  it('pools keep-alive connections, bounded per subgraph, and is measured against gateway-js\'s fetcher', async () => {
    // One round each first, so neither pays the other's first-call costs in the measured runs.
    await drive(pooled);
    await drive(gatewayJs);
    const a = await drive(pooled);
    const b = await drive(gatewayJs);
    const line = (name: string, r: Run) =>
      `${name}: ${((REQUESTS / r.ms) * 1000).toFixed(0)} requests/s, p50 ${r.p50.toFixed(0)} ms, p95 ${r.p95.toFixed(0)} ms, new connections ${JSON.stringify(r.connections)}`;
    console.log(`${REQUESTS} requests of a debtor's holdings (6 subgraph calls each), ${CONCURRENCY} at a time, agencies without latency:\n  ${line('pooled (undici)', a)}\n  ${line('gateway-js fetcher', b)}`);

    // Warm pools: the measured run reuses connections instead of opening new ones.
    for (const n of Object.values(a.connections)) expect(n).toBeLessThanOrEqual(CONCURRENCY);
    const opened = pooled.stats().subgraphConnections;
    // The six agency subgraphs this operation reaches (not the audit's).
    expect(Object.keys(opened)).toHaveLength(6);
    for (const n of Object.values(opened)) expect(n).toBeLessThanOrEqual(SUBGRAPH_TRANSPORT_DEFAULTS.connectionsPerOrigin);
  }, 90_000);

  it('keeps at most `connectionsPerOrigin` connections to a subgraph, queueing the rest', async () => {
    const narrow = await startExtraGateway(stack(), { shareInflightReads: false, subgraphTransport: { connectionsPerOrigin: 2 } });
    try {
      const run = await drive(narrow);
      for (const n of Object.values(narrow.stats().subgraphConnections)) expect(n).toBeLessThanOrEqual(2);
      expect(run.connections.vehicle).toBeLessThanOrEqual(2);
    } finally {
      await narrow.stop();
    }
  });
});
