/**
 * Keep-alive pools towards an agency, over real sockets (a local HTTP server stands in for
 * the agency): many calls at once queue on a few connections, calls reuse them, timeouts
 * and dropped connections keep their codes through undici's fetch, and the pool's sockets
 * are closed when the channels (or the subgraph owning them) stop. Also the subgraph's
 * /readyz with its breakers.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { z } from 'zod';
import { AgencyChannels } from '../../../../subgraphs/shared/agencyChannels';
import { AgencyError } from '../../../../subgraphs/shared/agencyError';
import { AgencyHttp } from '../../../../subgraphs/shared/agencyHttp';
import { startVehicleSubgraph } from '../../../../subgraphs/vehicle';
import { postSigned, TEST_SUBGRAPH_SECRET } from '../../../support/signedHeaders';

const AGENCY = 'test registry';
const answer = z.object({ n: z.string() });

/** An agency that echoes `n`, after `delayMs`; `mode` makes it hang or drop the connection. */
interface FakeAgency {
  url: string;
  /** Connections ever accepted. */
  accepted: number;
  /** Connections open now, and the most open at once. */
  open: Set<Socket>;
  mostOpen: number;
  bodies: unknown[];
  delayMs: number;
  mode: 'answer' | 'hang' | 'drop';
  server: Server;
}

async function startFakeAgency(): Promise<FakeAgency> {
  const agency = { accepted: 0, open: new Set<Socket>(), mostOpen: 0, bodies: [] as unknown[], delayMs: 0, mode: 'answer' } as FakeAgency;
  const read = async (req: IncomingMessage) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    return text === '' ? undefined : JSON.parse(text);
  };
  agency.server = createServer(async (req, res) => {
    const body = (await read(req)) as { n?: string } | undefined;
    agency.bodies.push(body);
    if (agency.mode === 'hang') return;
    if (agency.mode === 'drop') return void req.socket.destroy();
    if (agency.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, agency.delayMs));
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ n: body?.n ?? 'get' }));
  });
  agency.server.on('connection', (socket: Socket) => {
    agency.accepted++;
    agency.open.add(socket);
    agency.mostOpen = Math.max(agency.mostOpen, agency.open.size);
    socket.on('close', () => agency.open.delete(socket));
  });
  // The agency never closes an idle connection (node's default would after 5 s): every close
  // a test waits for comes from the client side.
  agency.server.keepAliveTimeout = 0;
  await new Promise<void>((resolve) => agency.server.listen(0, '127.0.0.1', resolve));
  agency.url = `http://127.0.0.1:${(agency.server.address() as AddressInfo).port}`;
  return agency;
}

async function stopFakeAgency(agency: FakeAgency): Promise<void> {
  agency.server.closeAllConnections();
  await new Promise((resolve) => agency.server.close(resolve));
}

/**
 * Waits for the close of every connection open at the agency now: the event itself, no
 * deadline. Neither side closes an idle connection on its own during a test (the agency
 * keeps them, the pools keep them for IDLE_MS), so only the close under test can end this
 * wait; if it never comes, the test's timeout reports the hang.
 */
function allClosed(agency: FakeAgency): Promise<void> {
  return Promise.all([...agency.open].map((socket) => new Promise((resolve) => socket.once('close', resolve)))).then(() => undefined);
}

/** Idle time of the pools' sockets: longer than any test, so no socket closes for being idle. */
const IDLE_MS = 10 * 60_000;

let agency: FakeAgency;
let channels: AgencyChannels;
beforeEach(async () => {
  agency = await startFakeAgency();
  channels = new AgencyChannels({ resilience: { maxConnections: 4, backoffInitialMs: 1, backoffMaxMs: 1, keepAliveTimeoutMs: IDLE_MS }, env: {} });
});
afterEach(async () => {
  await channels.close();
  await stopFakeAgency(agency);
});

const http = (timeoutMs = 2000) => new AgencyHttp({ agency: AGENCY, baseUrl: agency.url, timeoutMs, channels });

describe('a keep-alive pool per agency', () => {
  it('queues many calls at once on at most maxConnections sockets', async () => {
    agency.delayMs = 5;
    const client = http();
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => client.post('/q', { n: String(i) }, answer, { idempotent: true })));
    expect(answers.map((a) => a.n)).toEqual(Array.from({ length: 60 }, (_, i) => String(i)));
    expect(agency.mostOpen).toBeLessThanOrEqual(4);
    expect(agency.accepted).toBeLessThanOrEqual(4);
  });

  it('reuses its sockets from call to call, for every client of the agency', async () => {
    const first = http();
    const second = http();
    for (let i = 0; i < 40; i++) await (i % 2 === 0 ? first : second).get('/q', answer);
    // One socket, or two where the next call starts before the pool has seen the last one end.
    expect(agency.accepted).toBeLessThanOrEqual(2);
  });

  it('closes its sockets when the channels close', async () => {
    await Promise.all(Array.from({ length: 8 }, () => http().get('/q', answer)));
    expect(agency.open.size).toBeGreaterThan(0);
    const closed = allClosed(agency);
    await channels.close();
    await closed;
    expect(agency.open.size).toBe(0);
  });

  it('keeps the timeout code through undici (another realm\'s DOMException)', async () => {
    agency.mode = 'hang';
    const error = await http(100).get('/q', answer).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgencyError);
    expect((error as AgencyError).extensions).toEqual({ code: 'AGENCY_TIMEOUT', agency: AGENCY });
  });

  it('reads a dropped connection as unavailable and retries a read with a freshly built body', async () => {
    agency.mode = 'drop';
    let n = 0;
    const error = await http()
      .post('/q', () => ({ n: String(++n) }), answer, { idempotent: true })
      .catch((e: unknown) => e);
    expect((error as AgencyError).extensions).toEqual({ code: 'AGENCY_UNAVAILABLE', agency: AGENCY });
    expect(agency.bodies).toEqual([{ n: '1' }, { n: '2' }, { n: '3' }]);
  });
});

describe('a subgraph and its agencies', () => {
  const PERSON = '11010519491231002X';
  const VEHICLES = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { vehicles { vin } } } }`;

  it('shows each breaker at /readyz, stays ready while one is open, and closes its pools when it stops', async () => {
    // The fake agency's answer is not the registry's shape: a bad answer, on a kept-alive socket.
    const subgraph = await startVehicleSubgraph({
      agencyUrl: agency.url,
      secret: TEST_SUBGRAPH_SECRET,
      resilience: { retries: 0, breakerFailures: 1, breakerHalfOpenAfterMs: 60_000, keepAliveTimeoutMs: IDLE_MS },
    });
    const readyz = async () => {
      const response = await fetch(subgraph.url.replace(/\/graphql$/, '/readyz'));
      return { status: response.status, body: await response.json() };
    };
    let closed: Promise<void> | undefined;
    try {
      expect(await readyz()).toEqual({ status: 200, body: { status: 'ready', checks: { agencies: { 'vehicle registry': { breaker: 'closed' } } } } });

      const failed = await postSigned(subgraph.url, VEHICLES, { reps: [{ __typename: 'Person', idNumber: PERSON }] });
      expect(failed.errors?.[0]?.extensions).toMatchObject({ code: 'AGENCY_BAD_RESPONSE', agency: 'vehicle registry' });
      expect(agency.open.size).toBe(1);
      expect(await readyz()).toEqual({
        status: 200,
        body: { status: 'ready', checks: { agencies: { 'vehicle registry': { breaker: 'open', openedAt: expect.any(String) } } } },
      });

      const calls = agency.bodies.length;
      const refused = await postSigned(subgraph.url, VEHICLES, { reps: [{ __typename: 'Person', idNumber: PERSON }] });
      expect(refused.errors?.[0]).toMatchObject({ message: expect.stringMatching(/circuit breaker is open/), extensions: { code: 'AGENCY_UNAVAILABLE', breaker: 'open' } });
      expect(agency.bodies.length).toBe(calls);
      closed = allClosed(agency);
    } finally {
      await subgraph.stop();
    }
    await closed;
    expect(agency.open.size).toBe(0);
  });
});
