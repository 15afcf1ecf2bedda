import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { httpServerOptions, limitConnectionsPerClient } from '../../../../lib/http/httpLimits';

/**
 * Slow and greedy clients (issue 13): a client trickling its headers or its body, or idling
 * on a kept-alive socket, is cut off once its time is up; one address cannot hold more than
 * its share of connections. The bounds are injected small; the tests wait for what the
 * server does (the socket closed, or answered), never for a time.
 */
const LIMITS = { headersTimeoutMs: 300, requestTimeoutMs: 600, keepAliveTimeoutMs: 300, checkIntervalMs: 50, maxConnectionsPerClient: 3 };

let server: Server;
let port: number;
const sockets: Socket[] = [];

beforeAll(async () => {
  server = createServer(httpServerOptions(LIMITS), (req, res) => {
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  limitConnectionsPerClient(server, LIMITS);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterEach(() => {
  for (const s of sockets.splice(0)) s.destroy();
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function open(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
    sockets.push(socket);
  });
}

/** What the server did to the socket in the end: closed it, after answering `received` (maybe nothing). */
function outcome(socket: Socket): Promise<{ closed: true; received: string }> {
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString()));
  return new Promise((resolve) => socket.once('close', () => resolve({ closed: true, received })));
}

function connections(): Promise<number> {
  return new Promise((resolve, reject) => server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
}

/** Keeps writing one byte now and then until the socket closes, as a slowloris client does. */
function trickle(socket: Socket, bytes: string): void {
  let i = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || i >= bytes.length) return clearInterval(timer);
    socket.write(bytes[i++]!);
  }, 40);
  socket.once('close', () => clearInterval(timer));
}

describe('an HTTP server with limits', () => {
  it('cuts off a client whose headers never end', async () => {
    const socket = await open();
    const done = outcome(socket);
    trickle(socket, `GET /graphql HTTP/1.1\r\nHost: x\r\n${'X-Slow: '.padEnd(10_000, 'a')}`);
    const { received } = await done;
    // 408 Request Timeout, or the socket simply closed: either way the server let go.
    expect(received === '' || received.startsWith('HTTP/1.1 408')).toBe(true);
  });

  it('cuts off a client whose body never ends', async () => {
    const socket = await open();
    const done = outcome(socket);
    socket.write('POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n');
    trickle(socket, '{'.padEnd(100_000, ' '));
    const { received } = await done;
    expect(received === '' || received.startsWith('HTTP/1.1 408')).toBe(true);
  });

  it('closes a kept-alive connection left idle after its answer', async () => {
    const socket = await open();
    const done = outcome(socket);
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
    const { received } = await done;
    expect(received).toMatch(/^HTTP\/1\.1 200 OK[\s\S]*\r\n\r\nok$/);
  });

  it('holds one address to its share of open connections, and lets a closed one be replaced', async () => {
    const kept = await Promise.all([open(), open(), open()]);
    const extra = await open();
    await outcome(extra);
    expect(extra.destroyed).toBe(true);
    // The three kept ones are still served.
    const answer = outcome(kept[0]!);
    kept[0]!.end('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect((await answer).received).toMatch(/^HTTP\/1\.1 200 OK/);
    // That one is gone (once the server has seen it close): there is room for a new one, which is served.
    while ((await connections()) > 2) await new Promise((resolve) => setImmediate(resolve));
    const replacement = await open();
    const served = outcome(replacement);
    replacement.end('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect((await served).received).toMatch(/^HTTP\/1\.1 200 OK/);
  });

  it('does not hold an uncapped address (a trusted proxy) to one client\'s share', async () => {
    const proxied = createServer(httpServerOptions(LIMITS), (_req, res) => res.end('ok'));
    limitConnectionsPerClient(proxied, { ...LIMITS, uncappedClient: (address) => address === '127.0.0.1' });
    await new Promise<void>((resolve) => proxied.listen(0, '127.0.0.1', resolve));
    const proxiedPort = (proxied.address() as AddressInfo).port;
    try {
      const many = await Promise.all(
        Array.from({ length: LIMITS.maxConnectionsPerClient + 2 }, () =>
          new Promise<Socket>((resolve, reject) => {
            const socket = connect(proxiedPort, '127.0.0.1', () => resolve(socket));
            socket.on('error', reject);
            sockets.push(socket);
          }),
        ),
      );
      const answers = many.map((socket) => {
        const done = outcome(socket);
        socket.end('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
        return done;
      });
      for (const { received } of await Promise.all(answers)) expect(received).toMatch(/^HTTP\/1\.1 200 OK/);
    } finally {
      proxied.closeAllConnections();
      await new Promise((resolve) => proxied.close(resolve));
    }
  });
});
