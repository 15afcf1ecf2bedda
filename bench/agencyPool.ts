/**
 * Pooled against unpooled agency calls: the same JSON calls to a local stand-in agency,
 * (1) through a subgraph's AgencyPool (undici Agent, keep-alive, 16 sockets), (2) the same
 * requests with a new connection per call (keep-alive off), and (3) through node's own fetch,
 * what AgencyHttp used before (its global dispatcher keeps connections alive too, without a
 * socket limit). Prints time and sockets opened for each, and the ratios.
 * Run: npx tsx bench/agencyPool.ts [calls] [concurrency]
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { type AgencyFetch, AgencyPool, unpooledFetch } from '../subgraphs/shared/agencyPool';

const CALLS = Number(process.argv[2] ?? 4000);
const CONCURRENCY = Number(process.argv[3] ?? 64);

async function main(): Promise<void> {
  let sockets = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ RESULT: '1', SQBH: JSON.parse(body).SQBH, ROWS: [] }));
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', () => sockets++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/jdc/query/byOwner`);

  const pool = new AgencyPool({ maxConnections: 16, keepAliveTimeoutMs: 10_000 });
  // undici: pipelining 0 turns keep-alive off, so every call opens (and closes) its own socket.
  const noKeepAlive = new Agent({ pipelining: 0 });
  const fresh: AgencyFetch = async (u, init) => {
    const response = await noKeepAlive.request({ origin: u.origin, path: u.pathname, method: 'POST', headers: init.headers, body: init.body, signal: init.signal });
    return { status: response.statusCode, ok: response.statusCode < 300, text: () => response.body.text() };
  };

  async function run(name: string, fetch: AgencyFetch): Promise<number> {
    sockets = 0;
    let next = 0;
    let failed = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < CALLS) {
          const n = next++;
          try {
            const response = await fetch(url, {
              method: 'POST',
              headers: { 'content-type': 'application/json', accept: 'application/json' },
              body: JSON.stringify({ SQBH: `B${n}`, SFZMHM: ['11010519491231002X'] }),
              signal: AbortSignal.timeout(30_000),
            });
            await response.text();
          } catch {
            failed++;
          }
        }
      }),
    );
    const ms = performance.now() - started;
    console.log(`${name.padEnd(34)} ${ms.toFixed(0).padStart(6)} ms  ${((CALLS / ms) * 1000).toFixed(0).padStart(6)} calls/s  ${String(sockets).padStart(5)} sockets  ${failed} failed`);
    return ms;
  }

  console.log(`${CALLS} calls, ${CONCURRENCY} at once`);
  // One warm-up round each, so JIT and undici's parser start do not count.
  await run('(warm-up) pooled', pool.fetch);
  await run('(warm-up) new connection per call', fresh);
  await run('(warm-up) node fetch', unpooledFetch);
  const pooled = await run('pooled (AgencyPool, 16 sockets)', pool.fetch);
  const perCall = await run('new connection per call', fresh);
  const nodeFetch = await run('node fetch (global dispatcher)', unpooledFetch);
  console.log(`ratio new connection per call / pooled: ${(perCall / pooled).toFixed(2)}x`);
  console.log(`ratio node fetch / pooled:              ${(nodeFetch / pooled).toFixed(2)}x`);

  await pool.close();
  await noKeepAlive.close();
  server.closeAllConnections();
  server.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
