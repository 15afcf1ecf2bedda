import type { GatewayContext } from '../../../gateway/context';
import { createLogger, logLevelFromEnv, type Logger } from '../../../gateway/log/logger';
import { maskIdentifiers } from '../../../gateway/log/maskIdentifiers';
import { requestLoggingPlugin } from '../../../gateway/plugins/requestLogging';
import { queryLimits } from '../../../gateway/plugins/limits';
import { rateLimitPlugin } from '../../../gateway/plugins/rateLimit';
import { serveGraphQL, type ServedGraphQL } from '../../../lib/serveGraphQL';
import { creditCodeCheckChar, idNumberCheckChar, vinCheckChar } from '../../../schemas/identifiers';
import { citizenCaller, courtCaller, makeServer, run } from './harness';

// Real formats, with real check characters.
const ID = '330106199001019354';
const ID_X = '11010519491231002X';
const CREDIT = '91330106MA2B3C4D5D';
const VIN = 'LSVAU218XN2183294';
const ACCOUNTS = {
  NCB: '6222' + '0212345' + '00000042', // 19-digit card number
  HZCB: '3301' + '2345' + '00000043', // 16 digits
  RCC: '201' + '2345678' + '00000044', // 18 digits
  WEB: 'W' + '1234567' + '00000045', // internet bank, letter prefix
  GJJ: 'GJJ' + '330106' + '000000046', // housing provident fund
};

describe('maskIdentifiers', () => {
  it('is tested with valid identifiers', () => {
    expect([ID, ID_X].map((v) => v.slice(0, 17) + idNumberCheckChar(v))).toEqual([ID, ID_X]);
    expect(CREDIT.slice(0, 17) + creditCodeCheckChar(CREDIT)).toBe(CREDIT);
    expect(VIN.slice(0, 8) + vinCheckChar(VIN) + VIN.slice(9)).toBe(VIN);
  });

  it.each([
    ['resident ID number', ID, '330106********9354'],
    ['resident ID number ending in X', ID_X, '110105********002X'],
    ['resident ID number, lower-case x', ID_X.toLowerCase(), '110105********002x'],
    ['resident ID number with a wrong check digit', '330106199001019357', '330106********9357'],
    ['unified social credit code', CREDIT, '913301********4D5D'],
    ['VIN', VIN, 'LSV**********3294'],
    ['VIN in lower case', VIN.toLowerCase(), 'lsv**********3294'],
    ['19-digit card account (NCB)', ACCOUNTS.NCB, '6222***********0042'],
    ['16-digit account (HZCB)', ACCOUNTS.HZCB, '3301********0043'],
    ['18-digit account (RCC)', ACCOUNTS.RCC, '201234********0044'],
    ['internet-bank account with a letter prefix (WEB)', ACCOUNTS.WEB, 'W123********0045'],
    ['housing-fund account', ACCOUNTS.GJJ, 'GJJ3**********0046'],
    ['15-digit first-generation ID number', '330106900101935', '3301*******1935'],
  ])('masks a %s', (_, value, masked) => {
    expect(maskIdentifiers(value)).toBe(masked);
    expect(maskIdentifiers(maskIdentifiers(value))).toBe(masked);
  });

  it('masks identifiers inside messages, JSON and GraphQL documents', () => {
    expect(maskIdentifiers(`Debtor ${ID} holds account ${ACCOUNTS.NCB} at NCB.`)).toBe('Debtor 330106********9354 holds account 6222***********0042 at NCB.');
    expect(maskIdentifiers(`债务人${ID}名下车辆${VIN}。`)).toBe('债务人330106********9354名下车辆LSV**********3294。');
    expect(maskIdentifiers(JSON.stringify({ query: `{ person(idNumber: "${ID}") { name } }`, variables: { code: CREDIT } }))).toBe(
      JSON.stringify({ query: '{ person(idNumber: "330106********9354") { name } }', variables: { code: '913301********4D5D' } }),
    );
    expect(maskIdentifiers(JSON.stringify(`line\n${ID}\tand\u00a0${ACCOUNTS.HZCB}`))).toBe(JSON.stringify(`line\n330106********9354\tand\u00a03301********0043`));
  });

  it('leaves alone what is not shaped like an identifier', () => {
    const text = [
      'request 0b7a3c52-6f0e-4d0e-9a41-123456789012', // UUID groups are at most 12 long
      'at 1732520000000', // epoch milliseconds
      'owed 4000000.00 since 2024-01-02',
      'case (2024)浙0106执1234号, plate 浙A12345, unit 330106001001GB00001F00010001',
      'hash 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      'internationalization userpreferences12',
    ].join('; ');
    expect(maskIdentifiers(text)).toBe(text);
  });
});

describe('logLevelFromEnv', () => {
  it.each([
    [{}, 'info'],
    [{ NODE_ENV: 'production' }, 'info'],
    [{ NODE_ENV: 'test' }, 'silent'],
    [{ NODE_ENV: 'test', LOG_LEVEL: 'debug' }, 'debug'],
    [{ LOG_LEVEL: 'warn' }, 'warn'],
  ])('%p -> %s', (env, level) => {
    expect(logLevelFromEnv(env)).toBe(level);
  });

  it('refuses an unknown level at boot', () => {
    expect(() => logLevelFromEnv({ LOG_LEVEL: 'loud' })).toThrow('Invalid LOG_LEVEL "loud": use one of fatal, error, warn, info, debug, trace, silent.');
  });
});

/** A logger writing into an array of parsed lines. */
function capture(level: 'info' | 'silent' = 'info'): { logger: Logger; lines: () => Record<string, any>[]; raw: string[] } {
  const raw: string[] = [];
  const logger = createLogger({ level, destination: { write: (s: string) => void raw.push(s) } });
  return { logger, raw, lines: () => raw.map((s) => JSON.parse(s)) };
}

describe('createLogger', () => {
  it('masks every line it writes: messages, objects, child bindings and errors', () => {
    const { logger, raw } = capture();
    logger.child({ subject: ID }).error({ err: new Error(`no account ${ACCOUNTS.RCC} for ${CREDIT}`), vin: VIN }, `lookup of ${ID} failed`);
    expect(raw).toHaveLength(1);
    for (const value of [ID, CREDIT, VIN, ACCOUNTS.RCC]) expect(raw[0]).not.toContain(value);
    expect(JSON.parse(raw[0]!)).toMatchObject({ level: 50, subject: '330106********9354', msg: 'lookup of 330106********9354 failed', err: { message: expect.stringContaining('201234********0044') } });
  });

  it('writes nothing when silent', () => {
    const { logger, raw } = capture('silent');
    logger.error('anything');
    expect(raw).toEqual([]);
  });

  it('never throws when its destination does', () => {
    const logger = createLogger({ level: 'info', destination: { write: () => { throw new Error('disk full'); } } });
    expect(() => logger.info('hello')).not.toThrow();
  });
});

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
