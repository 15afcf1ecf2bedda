/**
 * The gateway's pooled transport to its subgraphs: connections are reused and bounded per
 * subgraph. (Its speed against gateway-js's own fetcher is measured by `npm run bench`'s
 * peers and was reported when it landed; timings do not belong in the test suite.)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Agent, fetch as undiciFetch } from 'undici';
import type { RunningGateway } from '../../../gateway/createGateway';
import { SUBGRAPH_TRANSPORT_DEFAULTS } from '../../../gateway/transport/subgraphTransport';
import { officerHeaders } from '../../support/courtRequest';
import { useStack } from '../../support/stack';
import { startExtraGateway } from '../../support/extraGateway';

const stack = useStack({ persons: 200 });

const REQUESTS = 48;
const CONCURRENCY = 12;
/** A debtor's holdings at five agencies: six subgraph calls per request. */
const HOLDINGS = `query Holdings($id: IdNumber!) { person(idNumber: $id) {
  name bankAccounts { accountNumber balance } realEstate { unitNumber } vehicles { vin } shareholdings { ratio } socialInsurance { status }
} }`;

/**
 * The test's own client connects afresh for each request: its keep-alive to the gateway is not
 * what is measured, and an idle connection the gateway closes just as the client reuses it (a
 * busy machine stretches both timers) would reset a request.
 */
const client = new Agent({ pipelining: 0 });
afterAll(() => client.close());

interface Run {
  ms: number;
  p50: number;
  p95: number;
  /**
   * The most connections each subgraph was answering requests on at once during the run (from
   * a request's arrival to its answer's end). Counted by requests, not by open sockets: a socket
   * the gateway has let go may take a while to show closed at the server on a busy machine.
   */
  connections: Record<string, number>;
  /**
   * How many connections each subgraph accepted during the run. Not bounded by CONCURRENCY on a
   * busy machine: a connection left idle past the server's keep-alive timeout is closed and a
   * new one opened later.
   */
  accepted: Record<string, number>;
}

/** Drives REQUESTS requests, CONCURRENCY at a time, noting the most connections each subgraph holds open at once. */
async function drive(gateway: RunningGateway): Promise<Run> {
  const { population: pop, subgraphs } = stack();
  const kase = pop.scenarios.richDebtor.caseNumber;
  const headers = { 'content-type': 'application/json', ...(await officerHeaders(pop, kase)) };
  const body = JSON.stringify({ query: HOLDINGS, variables: { id: pop.scenarios.richDebtor.idNumber } });
  const connections: Record<string, number> = {};
  const accepted: Record<string, number> = {};
  const counters = Object.entries(subgraphs).map(([name, s]) => {
    connections[name] = 0;
    accepted[name] = 0;
    const busy = new Set<unknown>();
    const accept = () => void (accepted[name]! += 1);
    const count = (req: IncomingMessage, res: ServerResponse) => {
      busy.add(req.socket);
      connections[name] = Math.max(connections[name]!, busy.size);
      const idle = () => busy.delete(req.socket);
      res.once('finish', idle);
      res.once('close', idle);
    };
    s.httpServer.on('connection', accept);
    s.httpServer.on('request', count);
    return () => {
      s.httpServer.off('connection', accept);
      s.httpServer.off('request', count);
    };
  });
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        next += 1;
        const t = performance.now();
        const response = await undiciFetch(gateway.url, { method: 'POST', headers, body, dispatcher: client });
        const answer = (await response.json()) as { errors?: unknown };
        if (response.status !== 200 || answer.errors) throw new Error(`request failed: ${JSON.stringify(answer)}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const ms = performance.now() - started;
  for (const stop of counters) stop();
  latencies.sort((a, b) => a - b);
  return { ms, p50: latencies[Math.floor(latencies.length / 2)]!, p95: latencies[Math.floor(latencies.length * 0.95)]!, connections, accepted };
}

describe('gateway -> subgraph transport', () => {
  let pooled: RunningGateway;

  beforeAll(async () => {
    // Identical reads would be shared; every request here must really reach the subgraphs.
    pooled = await startExtraGateway(stack(), { shareInflightReads: false });
  });

  afterAll(async () => {
    await pooled?.stop();
  });

  it('reuses keep-alive connections, bounded per subgraph', async () => {
    await drive(pooled);
    const a = await drive(pooled);
    // Warm pools: 48 requests of 6 subgraph calls each hold at most one connection per
    // request in flight at each subgraph, not one per call,
    for (const n of Object.values(a.connections)) expect(n).toBeLessThanOrEqual(CONCURRENCY);
    // and connections are reused: each of the six reached subgraphs served its 48 calls over
    // at most half as many new connections (without keep-alive: one connection per call).
    const reached = Object.entries(a.accepted).filter(([name]) => name !== 'audit');
    for (const [, n] of reached) expect(n).toBeLessThanOrEqual(REQUESTS / 2);
    const opened = pooled.stats().subgraphConnections;
    // The six agency subgraphs this operation reaches (not the audit's).
    expect(Object.keys(opened)).toHaveLength(6);
    for (const n of Object.values(opened)) expect(n).toBeLessThanOrEqual(SUBGRAPH_TRANSPORT_DEFAULTS.connectionsPerOrigin);
  });

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
