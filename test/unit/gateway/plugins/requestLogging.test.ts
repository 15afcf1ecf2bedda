import type { GatewayContext } from '../../../../gateway/context';
import { createLogger, type Logger } from '../../../../lib/log/logger';
import { requestLoggingPlugin } from '../../../../gateway/plugins/requestLogging';
import { queryLimits } from '../../../../gateway/plugins/limits';
import { rateLimitPlugin } from '../../../../gateway/plugins/rateLimit';
import { serveGraphQL, type ServedGraphQL } from '../../../../lib/http/serveGraphQL';
import { citizenCaller, courtCaller, makeServer, run } from '../../../support/gatewayHarness';

// Real formats, with real check characters.
const ID = '330106199001019354';
const VIN = 'LSVAU218XN2183294';
const ACCOUNTS = {
  NCB: '6222' + '0212345' + '00000042', // 19-digit card number
};

/** A logger writing into an array of parsed lines. */
function capture(level: 'info' | 'silent' = 'info'): { logger: Logger; lines: () => Record<string, any>[]; raw: string[] } {
  const raw: string[] = [];
  const logger = createLogger({ level, destination: { write: (s: string) => void raw.push(s) } });
  return { logger, raw, lines: () => raw.map((s) => JSON.parse(s)) };
}

describe('request logging', () => {
  const court = courtCaller('浙0106', 'officer-7');
  const WALK = 'query Walk($id: String!) { person(idNumber: $id) { name bankAccounts { accountNumber } } }';

  async function logged(plugins: Parameters<typeof makeServer>[0], query: string, options: Parameters<typeof run>[2] = {}, extra: Parameters<typeof makeServer>[1] = {}) {
    const { logger, lines, raw } = capture();
    const server = makeServer([requestLoggingPlugin({ logger }), ...plugins], extra);
    try {
      const answer = await run(server, query, options);
      return { answer, lines: lines(), raw };
    } finally {
      await server.stop();
    }
  }

  it('writes one line per request: request, court, officer, case, operation, outcome, latency', async () => {
    const { answer, lines, raw } = await logged([], WALK, { caller: court, caseNumber: '(2024)浙0106执1号', requestId: 'req-42', variables: { id: ID } });
    expect(answer.errors).toBeUndefined();
    expect(lines).toEqual([
      {
        level: 30,
        time: expect.any(Number),
        pid: expect.any(Number),
        hostname: expect.any(String),
        msg: 'graphql request',
        requestId: 'req-42',
        court: '浙0106',
        officer: 'officer-7',
        case: '(2024)浙0106执1号',
        operationName: 'Walk',
        operationType: 'query',
        queryHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        outcome: 'ok',
        status: 200,
        latencyMs: expect.any(Number),
        errorCodes: [],
        variables: { id: '330106********9354' },
      },
    ]);
    expect(raw.join('')).not.toContain(ID);
  });

  it('logs a refusal with its status and codes', async () => {
    const limits = queryLimits({ maxAliases: 1 });
    const { lines } = await logged(limits.plugins, '{ a: person(idNumber: "x") { name } b: person(idNumber: "y") { name } }', { caller: court }, { validationRules: limits.validationRules });
    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        operationName: null,
        outcome: 'refused',
        status: 400,
        errorCodes: ['GRAPHQL_VALIDATION_FAILED'],
        errors: [{ code: 'GRAPHQL_VALIDATION_FAILED', message: 'The operation uses too many aliases; look up many persons or companies with `persons` or `companies` instead.' }],
      }),
    ]);
  });

  it('logs a rate-limited request as refused with 429', async () => {
    const limit = rateLimitPlugin({ court: { points: 1, duration: 60 }, keyPrefix: `test:log:${Date.now()}` });
    const { logger, lines } = capture();
    const server = makeServer([requestLoggingPlugin({ logger }), limit]);
    try {
      await run(server, WALK, { caller: court, variables: { id: ID } });
      await run(server, WALK, { caller: court, variables: { id: ID } });
    } finally {
      await server.stop();
    }
    expect(lines().map((l) => [l.outcome, l.status, l.errorCodes])).toEqual([
      ['ok', 200, []],
      ['refused', 429, ['RATE_LIMITED']],
    ]);
  });

  it('logs a partial answer with the failed field\'s path and a masked message', async () => {
    const { lines, raw } = await logged([], `query Mixed { person(idNumber: "${ID}") { name } fail(message: "account ${ACCOUNTS.NCB} of ${ID} is frozen") }`, { caller: court });
    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        operationName: 'Mixed',
        outcome: 'partial',
        status: 200,
        errorCodes: ['INTERNAL_SERVER_ERROR'],
        errors: [{ code: 'INTERNAL_SERVER_ERROR', path: ['fail'], message: 'account 6222***********0042 of 330106********9354 is frozen' }],
      }),
    ]);
    expect(raw.join('')).not.toMatch(new RegExp(`${ID}|${ACCOUNTS.NCB}`));
  });

  it('names a citizen only masked', async () => {
    const { lines } = await logged([], WALK, { caller: citizenCaller(ID), variables: { id: ID } });
    expect(lines[0]).toMatchObject({ citizen: '330106********9354', outcome: 'ok' });
    expect(lines[0]).not.toHaveProperty('court');
  });

  it('masks identifiers in variables even through a logger that does not mask', async () => {
    const seen: unknown[] = [];
    const bare = { info: (line: unknown) => void seen.push(line), warn: () => {}, error: () => {} } as unknown as Logger;
    const server = makeServer([requestLoggingPlugin({ logger: bare })]);
    try {
      await run(server, WALK, { caller: court, variables: { id: ID, nested: [{ vin: VIN, n: 6222021234567890 }] } });
    } finally {
      await server.stop();
    }
    expect(seen).toEqual([expect.objectContaining({ variables: { id: '330106********9354', nested: [{ vin: 'LSV**********3294', n: '6222********7890' }] } })]);
  });

  it('logs a request that failed inside the server, once', async () => {
    const { logger, lines, raw } = capture();
    const broken = { async requestDidStart() { return { async didResolveSource() { throw new Error(`store down while reading ${ID}`); } }; } };
    // The same logger serves Apollo Server, whose own line about the failure is masked too.
    const server = makeServer([requestLoggingPlugin({ logger }), broken], { logger });
    try {
      await expect(run(server, WALK, { caller: court, variables: { id: ID } })).rejects.toThrow('Internal server error');
    } finally {
      await server.stop();
    }
    expect(lines()).toEqual([
      expect.objectContaining({ level: 50, outcome: 'failed', status: 500, errorCodes: ['INTERNAL_SERVER_ERROR'], errors: [{ code: 'INTERNAL_SERVER_ERROR', message: 'store down while reading 330106********9354' }] }),
      expect.objectContaining({ level: 50, msg: 'Unexpected error processing request: Error: store down while reading 330106********9354' }),
    ]);
    expect(raw.join('')).not.toContain(ID);
  });

  it('never fails a request when the logger throws', async () => {
    const throwing = { info: () => { throw new Error('log down'); }, warn: () => { throw new Error('log down'); }, error: () => { throw new Error('log down'); } } as unknown as Logger;
    const server = makeServer([requestLoggingPlugin({ logger: throwing })]);
    try {
      expect(await run(server, WALK, { caller: court, variables: { id: ID } })).toMatchObject({ data: { person: { name: 'Zhang San' } } });
    } finally {
      await server.stop();
    }
  });

  describe('over HTTP', () => {
    let served: ServedGraphQL;
    const { logger, lines } = capture();
    beforeAll(async () => {
      served = await serveGraphQL<GatewayContext>({
        context: async () => ({ requestId: 'req-http', caller: court }),
        createServer: (plugins) => makeServer([...plugins, requestLoggingPlugin({ logger })]),
      });
    });
    afterAll(() => served.stop());

    it('logs a request refused before any operation ran (an HTTP batch)', async () => {
      const one = { query: '{ person(idNumber: "x") { name } }' };
      const response = await fetch(served.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([one, one]) });
      expect(response.status).toBe(400);
      expect(lines()).toEqual([
        expect.objectContaining({ level: 40, outcome: 'refused', status: 400, errorCodes: ['BAD_REQUEST'], errors: [{ code: 'BAD_REQUEST', message: 'Operation batching disabled.' }] }),
      ]);
    });
  });
});
