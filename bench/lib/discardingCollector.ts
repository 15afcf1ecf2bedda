import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DiscardingCollector {
  /** The OTLP/HTTP base URL: spans arrive at `<url>/v1/traces`. */
  url: string;
  /** Export requests and bytes received, for the record that traces really left. */
  received(): { requests: number; bytes: number };
  close(): Promise<void>;
}

/** An OTLP/HTTP endpoint that reads every export and answers 200, keeping nothing. */
export async function startDiscardingCollector(): Promise<DiscardingCollector> {
  let requests = 0;
  let bytes = 0;
  const server = createServer((req, res) => {
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => {
      requests += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received: () => ({ requests, bytes }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
