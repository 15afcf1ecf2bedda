import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP hop between a client and a server (e.g. the gateway and PostgreSQL) that a test can
 * break in the two ways a server goes wrong:
 * - `freeze`: connections stay open and new ones are accepted, but nothing is forwarded either
 *   way, as when the server hangs (a stopped process, a full disk, a dead NFS mount) while its
 *   host still holds the sockets. Bytes sent meanwhile wait in the sockets; `thaw` delivers
 *   them and forwarding goes on.
 * - `cut`: every connection is destroyed and new ones are refused, as when the server goes away.
 */
export interface TcpProxy {
  /** The target's URL with this proxy's host and port instead. */
  url: string;
  freeze(): void;
  thaw(): void;
  /** Destroys every connection and refuses new ones until `close`. */
  cut(): void;
  /** Destroys every connection and stops listening. */
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket;
}

export async function startTcpProxy(target: URL, defaultPort = 5432): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  let frozen = false;
  let cut = false;

  const forward = ({ client, upstream }: Pair) => {
    client.pipe(upstream);
    upstream.pipe(client);
  };
  const hold = ({ client, upstream }: Pair) => {
    client.unpipe(upstream);
    upstream.unpipe(client);
    // Paused, a socket reads nothing more: the peer's bytes stay in the kernel's buffers.
    client.pause();
    upstream.pause();
  };

  const server: Server = createServer((client) => {
    if (cut) return void client.destroy();
    const upstream = connect(Number(target.port || defaultPort), target.hostname);
    const pair = { client, upstream };
    pairs.add(pair);
    // Either side gone ends both: no server session is left behind, holding locks, once its client has left.
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.on('close', end);
      socket.on('error', end);
    }
    if (frozen) hold(pair);
    else forward(pair);
  });
  const destroyAll = () => {
    for (const { client, upstream } of pairs) {
      client.destroy();
      upstream.destroy();
    }
    pairs.clear();
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const via = new URL(target.href);
  via.hostname = '127.0.0.1';
  via.port = String((server.address() as AddressInfo).port);

  return {
    url: via.href,
    freeze() {
      frozen = true;
      for (const pair of pairs) hold(pair);
    },
    thaw() {
      frozen = false;
      for (const pair of pairs) forward(pair);
    },
    cut() {
      cut = true;
      destroyAll();
    },
    async close() {
      destroyAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
