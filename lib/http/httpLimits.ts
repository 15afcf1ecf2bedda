import type { Server, ServerOptions } from 'node:http';
import type { Socket } from 'node:net';

/**
 * What one HTTP client may hold of a server: time to send its request, idle time between
 * requests, and open connections. A client that trickles bytes (slowloris) or opens sockets
 * by the hundred is cut off instead of holding the server's sockets and memory.
 */
export interface HttpLimitsOptions {
  /** Time from a connection's first byte to the end of a request's headers. @default 10000 */
  headersTimeoutMs?: number;
  /** Time to receive a whole request, headers and body. @default 30000 */
  requestTimeoutMs?: number;
  /** How long a kept-alive connection may sit idle between requests. @default 5000 */
  keepAliveTimeoutMs?: number;
  /** How often the server looks for requests past their time. @default 1000 */
  checkIntervalMs?: number;
  /**
   * Open connections one client address may hold at once; a further one is closed as it
   * arrives. Subgraphs, whose one client is the gateway's pool, set it above that pool.
   * @default 64
   */
  maxConnectionsPerClient?: number;
  /**
   * Addresses not held to `maxConnectionsPerClient`: a trusted reverse proxy carries many
   * clients on its one address (it bounds them itself). @default none
   */
  uncappedClient?: (address: string) => boolean;
}

export const HTTP_LIMIT_DEFAULTS: Required<Omit<HttpLimitsOptions, 'uncappedClient'>> = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  checkIntervalMs: 1_000,
  maxConnectionsPerClient: 64,
};

/** The options Node's HTTP server takes at creation (the check interval cannot change later). */
export function httpServerOptions(options: HttpLimitsOptions = {}): Pick<ServerOptions, 'connectionsCheckingInterval' | 'headersTimeout' | 'requestTimeout' | 'keepAliveTimeout'> {
  const limits = { ...HTTP_LIMIT_DEFAULTS, ...options };
  return {
    connectionsCheckingInterval: limits.checkIntervalMs,
    // Node requires the headers' bound to be within the whole request's.
    headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
  };
}

/** Holds every client address to `maxConnectionsPerClient` open connections on `server`. */
export function limitConnectionsPerClient(server: Server, options: HttpLimitsOptions = {}): void {
  const max = options.maxConnectionsPerClient ?? HTTP_LIMIT_DEFAULTS.maxConnectionsPerClient;
  const uncapped = options.uncappedClient ?? (() => false);
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const client = socket.remoteAddress ?? 'unknown';
    if (uncapped(client)) return;
    const count = (open.get(client) ?? 0) + 1;
    if (count > max) {
      socket.destroy();
      return;
    }
    open.set(client, count);
    socket.once('close', () => {
      const left = (open.get(client) ?? 1) - 1;
      if (left === 0) open.delete(client);
      else open.set(client, left);
    });
  });
}
