import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from '@apollo/utils.logger';
import { Redis } from 'ioredis';
import type { GatewayContext } from '../../../../gateway/context';
import { RATE_LIMIT_DEFAULTS, rateLimitPlugin, type RateLimitOptions } from '../../../../gateway/plugins/rateLimit';
import { serveGraphQL, type ServedGraphQL } from '../../../../lib/http/serveGraphQL';
import { citizenCaller, courtCaller, makeServer, resolved, run } from '../../../support/gatewayHarness';

const QUERY = '{ person(idNumber: "330106199001019356") { name } }';
const ALLOWED = { data: { person: { name: 'Zhang San' } } };
const REDIS_URL = process.env.REDIS_URL;

const warnings: string[] = [];
const logger: Logger = { debug: () => {}, info: () => {}, warn: (m: unknown) => void warnings.push(String(m)), error: () => {} };

const started: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
  resolved.splice(0);
  warnings.splice(0);
});

/** A server with the rate limit; each test gets its own key prefix, so no test sees another's counts. */
function limited(options: RateLimitOptions, prefix = `test:rate:${randomUUID()}`) {
  const server = makeServer([rateLimitPlugin({ keyPrefix: prefix, ...options })], { logger });
  started.push(server);
  return server;
}

function rateLimited(who: string, retryAfter: number) {
  return {
    status: 429,
    headers: expect.objectContaining({ 'retry-after': String(retryAfter) }),
    errors: [{ message: `Too many requests from ${who}; retry after ${retryAfter} seconds.`, extensions: { code: 'RATE_LIMITED', retryAfter } }],
  };
}

const backends: [string, RateLimitOptions][] = [['memory', {}]];
if (REDIS_URL) backends.push(['redis', { redis: REDIS_URL }]);

describe.each(backends)('rate limit per caller (%s)', (_, backend) => {
  it('refuses a court over its budget with RATE_LIMITED, 429 and retry-after, before anything runs', async () => {
    const server = limited({ ...backend, court: { points: 2, duration: 30 } });
    const court = courtCaller('浙0106');
    expect(await run(server, QUERY, { caller: court })).toMatchObject(ALLOWED);
    expect(await run(server, QUERY, { caller: court })).toMatchObject(ALLOWED);
    resolved.splice(0);
    expect(await run(server, QUERY, { caller: court })).toEqual(rateLimited('this court', 30));
    expect(resolved).toEqual([]);
  });

  it('counts each court on its own: another court still passes', async () => {
    const server = limited({ ...backend, court: { points: 1, duration: 30 } });
    await run(server, QUERY, { caller: courtCaller('浙0106') });
    expect((await run(server, QUERY, { caller: courtCaller('浙0106') })).errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(await run(server, QUERY, { caller: courtCaller('浙0102') })).toMatchObject(ALLOWED);
  });

  it('shares one budget among a court\'s officers', async () => {
    const server = limited({ ...backend, court: { points: 1, duration: 30 } });
    expect(await run(server, QUERY, { caller: courtCaller('浙0106', 'officer-1') })).toMatchObject(ALLOWED);
    expect(await run(server, QUERY, { caller: courtCaller('浙0106', 'officer-2') })).toEqual(rateLimited('this court', 30));
  });

  it('limits citizens per ID number, on their own budget', async () => {
    const server = limited({ ...backend, citizen: { points: 1, duration: 20 }, court: { points: 1, duration: 20 } });
    expect(await run(server, QUERY, { caller: citizenCaller('330106199001019356') })).toMatchObject(ALLOWED);
    expect(await run(server, QUERY, { caller: citizenCaller('330106199001019356') })).toEqual(rateLimited('this citizen', 20));
    expect(await run(server, QUERY, { caller: citizenCaller('11010519491231002X') })).toMatchObject(ALLOWED);
    expect(await run(server, QUERY, { caller: courtCaller('浙0106') })).toMatchObject(ALLOWED);
  });

  it('counts a request as it arrives, so invalid documents spend the budget too', async () => {
    const server = limited({ ...backend, court: { points: 2, duration: 30 } });
    const court = courtCaller('浙0106');
    expect((await run(server, '{ person(', { caller: court })).errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect((await run(server, '{ nobody }', { caller: court })).errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(await run(server, QUERY, { caller: court })).toEqual(rateLimited('this court', 30));
  });

  it('limits a request without a verified caller per client address, on its own budget', async () => {
    const server = limited({ ...backend, anonymous: { points: 2, duration: 40 }, court: { points: 1, duration: 40 } });
    const flooder = '203.0.113.7';
    expect(await run(server, QUERY, { clientAddress: flooder })).toMatchObject(ALLOWED);
    expect(await run(server, QUERY, { clientAddress: flooder })).toMatchObject(ALLOWED);
    resolved.splice(0);
    expect(await run(server, QUERY, { clientAddress: flooder })).toEqual(rateLimited('this address', 40));
    expect(resolved).toEqual([]);
    expect(await run(server, QUERY, { clientAddress: '198.51.100.2' })).toMatchObject(ALLOWED);
  });

  it('does not let an address\'s anonymous flood touch a court\'s budget, even from that address', async () => {
    const server = limited({ ...backend, anonymous: { points: 1, duration: 30 }, court: { points: 2, duration: 30 } });
    const flooder = '203.0.113.7';
    for (let i = 0; i < 5; i++) await run(server, QUERY, { clientAddress: flooder });
    expect(await run(server, QUERY, { clientAddress: flooder })).toEqual(rateLimited('this address', 30));
    expect(await run(server, QUERY, { caller: courtCaller('浙0106'), clientAddress: flooder })).toMatchObject(ALLOWED);
    expect(await run(server, QUERY, { caller: courtCaller('浙0106'), clientAddress: '198.51.100.2' })).toMatchObject(ALLOWED);
  });

  it('counts a request without a caller as it arrives, so invalid and oversized documents spend the budget too', async () => {
    const server = limited({ ...backend, anonymous: { points: 2, duration: 30 } });
    const address = '203.0.113.7';
    expect((await run(server, '{ person(', { clientAddress: address })).errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect((await run(server, '{ nobody }', { clientAddress: address })).errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(await run(server, QUERY, { clientAddress: address })).toEqual(rateLimited('this address', 30));
  });

  it('counts requests whose address is unknown (no socket) on one budget', async () => {
    const server = limited({ ...backend, anonymous: { points: 1, duration: 30 } });
    expect(await run(server, QUERY)).toMatchObject(ALLOWED);
    expect(await run(server, QUERY)).toEqual(rateLimited('this address', 30));
  });
});

(REDIS_URL ? describe : describe.skip)('rate limit in Redis', () => {
  it('is one budget across gateway replicas', async () => {
    const prefix = `test:rate:${randomUUID()}`;
    const [a, b] = [limited({ redis: REDIS_URL, court: { points: 2, duration: 30 } }, prefix), limited({ redis: REDIS_URL, court: { points: 2, duration: 30 } }, prefix)];
    const court = courtCaller('浙0106');
    expect(await run(a, QUERY, { caller: court })).toMatchObject(ALLOWED);
    expect(await run(b, QUERY, { caller: court })).toMatchObject(ALLOWED);
    expect(await run(a, QUERY, { caller: court })).toEqual(rateLimited('this court', 30));
    expect(await run(b, QUERY, { caller: court })).toEqual(rateLimited('this court', 30));
  });

  it('is one budget per address across gateway replicas', async () => {
    const prefix = `test:rate:${randomUUID()}`;
    const [a, b] = [limited({ redis: REDIS_URL, anonymous: { points: 2, duration: 30 } }, prefix), limited({ redis: REDIS_URL, anonymous: { points: 2, duration: 30 } }, prefix)];
    expect(await run(a, QUERY, { clientAddress: '2001:db8::1' })).toMatchObject(ALLOWED);
    expect(await run(b, QUERY, { clientAddress: '2001:db8::1' })).toMatchObject(ALLOWED);
    expect(await run(a, QUERY, { clientAddress: '2001:db8::1' })).toEqual(rateLimited('this address', 30));
    expect(await run(b, QUERY, { clientAddress: '203.0.113.7' })).toMatchObject(ALLOWED);
  });

  it('keeps no citizen ID number in its keys', async () => {
    const prefix = `test:rate:${randomUUID()}`;
    const server = limited({ redis: REDIS_URL }, prefix);
    await run(server, QUERY, { caller: citizenCaller('330106199001019356') });
    const client = new Redis(REDIS_URL!);
    try {
      const keys = await client.keys(`${prefix}*`);
      expect(keys).toEqual([expect.stringMatching(new RegExp(`^${prefix}:citizen:[0-9a-f]{32}$`))]);
      await client.del(...keys);
    } finally {
      client.disconnect();
    }
  });
});

/** A "Redis" that accepts connections and reads every command, and never answers one. */
async function startSilentRedis(): Promise<{ port: number; received: () => string; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let received = '';
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', (chunk) => void (received += chunk.toString('latin1')));
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    received: () => received,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('rate limit when Redis is unreachable', () => {
  afterEach(() => jest.useRealTimers());

  it('falls back to each replica\'s memory budget: requests are answered promptly, floods still refused', async () => {
    // Nothing listens on port 1: every Redis call fails at once. Timers and Date are frozen
    // (jest's fake timers; sockets, setImmediate and nextTick stay real), so a request that
    // waited for anything timed (the Redis timeout, ioredis reconnecting) would never be
    // answered: each answer below was decided from memory at once, Redis being down.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'queueMicrotask', 'hrtime', 'performance'] });
    const server = limited({ redis: 'redis://127.0.0.1:1', court: { points: 2, duration: 30 }, redisTimeoutMs: 200 });
    const court = courtCaller('浙0106');
    expect(await run(server, QUERY, { caller: court })).toMatchObject(ALLOWED);
    expect(await run(server, QUERY, { caller: court })).toMatchObject(ALLOWED);
    expect(await run(server, QUERY, { caller: court })).toEqual(rateLimited('this court', 30));
    expect(await run(server, QUERY, { caller: courtCaller('浙0102') })).toMatchObject(ALLOWED);
    expect(warnings).toEqual([expect.stringMatching(/^Rate limits fall back to each replica's memory: Redis is unreachable \(.+\)\.$/)]);
  });

  it('falls back when Redis is slower than redisTimeoutMs', async () => {
    // Connected and ready, but every command hangs: only the plugin's timeout can decide.
    const silent = await startSilentRedis();
    // No ready check and no CLIENT SETINFO: ioredis would wait for their answers before it is ready.
    const hanging = new Redis({ host: '127.0.0.1', port: silent.port, lazyConnect: true, enableReadyCheck: false, disableClientInfo: true });
    try {
      await hanging.connect();
      expect(hanging.status).toBe('ready');
      const server = limited({ redis: hanging, court: { points: 1, duration: 30 }, redisTimeoutMs: 50 });
      const court = courtCaller('浙0106');
      expect(await run(server, QUERY, { caller: court })).toMatchObject(ALLOWED);
      expect(await run(server, QUERY, { caller: court })).toEqual(rateLimited('this court', 30));
      // Both were asked of Redis, which answered neither: the memory budget decided, after the timeout.
      expect(silent.received().match(/EVAL/gi)?.length).toBe(2);
    } finally {
      hanging.disconnect();
      await silent.stop();
    }
  });
});

describe('rate limit over HTTP', () => {
  let served: ServedGraphQL;
  beforeAll(async () => {
    served = await serveGraphQL<GatewayContext>({
      // Stands in for authentication: the caller is whatever the verified token says.
      context: async (req) => ({ requestId: randomUUID(), caller: courtCaller(decodeURIComponent(String(req.headers['x-test-court']))) }),
      createServer: (plugins) => makeServer([...plugins, rateLimitPlugin({ keyPrefix: `test:rate:${randomUUID()}`, court: { points: 1, duration: 45 } })], { logger }),
    });
  });
  afterAll(() => served.stop());

  const post = async (court: string) => {
    const response = await fetch(served.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-court': encodeURIComponent(court) }, body: JSON.stringify({ query: QUERY }) });
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.json() };
  };

  it('answers 429 with retry-after in seconds', async () => {
    expect(await post('浙0106')).toEqual({ status: 200, retryAfter: null, body: ALLOWED });
    expect(await post('浙0106')).toEqual({
      status: 429,
      retryAfter: '45',
      body: { errors: [{ message: 'Too many requests from this court; retry after 45 seconds.', extensions: { code: 'RATE_LIMITED', retryAfter: 45 } }] },
    });
    expect((await post('浙0102')).status).toBe(200);
  });
});

it('states its defaults once', () => {
  expect(RATE_LIMIT_DEFAULTS).toEqual({
    court: { points: 600, duration: 60 },
    citizen: { points: 30, duration: 60 },
    anonymous: { points: 600, duration: 60 },
    redis: undefined,
    keyPrefix: 'cag:rate',
    redisTimeoutMs: 200,
  });
});
