/**
 * The court case system's receipts route through the real emulator over HTTP: receipts
 * reduce every case answer's outstanding amount (wzxje) exactly, retries are answered once,
 * and refusals come in the court system's own error shape.
 */
import { startCourtEmulator } from '../../../../mocks/court/server';
import { type CaseRecord, createPopulation } from '../../../../mocks/population';
import type { Emulator } from '../../../../mocks/shared/startEmulator';
import { formatFen } from '../../../../schemas/identifiers';
import { BACKENDS, useCaseAccount } from '../../../support/caseAccountHarness';

const population = createPopulation({ persons: 200 });
const active = population.cases.filter((c) => c.status === 'ACTIVE' && c.outstandingFen >= 200_000_00);
const CASE: CaseRecord = active[0]!;
const SECOND: CaseRecord = active[1]!;
const CLOSED = population.cases.find((c) => c.caseNumber === population.scenarios.closedCase.caseNumber)!;

async function post(emulator: Emulator, path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${emulator.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const receipt = (emulator: Emulator, body: Record<string, unknown>) => post(emulator, '/zxaj/v1/cases/receipts', body);

/** wzxje of each case, as the court system's batch lookup answers it. */
async function outstandingOf(emulator: Emulator, ...cases: CaseRecord[]): Promise<string[]> {
  const { body } = await post(emulator, '/zxaj/v1/cases/batch', { ah: cases.map((c) => c.caseNumber) });
  const byNumber = new Map((body.aj as { ah: string; wzxje: string }[]).map((c) => [c.ah, c.wzxje]));
  return cases.map((c) => byNumber.get(c.caseNumber)!);
}

describe('the receipts route without a case account', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startCourtEmulator(population, { latencyMs: 0 });
  });
  afterAll(() => emulator.close());

  it('answers 503 and leaves the population\'s outstanding amounts as they are', async () => {
    expect(await receipt(emulator, { ah: CASE.caseNumber, je: '1.00', fkr: 'NCB', lsh: 'x' })).toEqual({
      status: 503,
      body: { errcode: 5031, errmsg: '执行款账户未接入，暂不能登记到账' },
    });
    expect(await outstandingOf(emulator, CASE)).toEqual([formatFen(CASE.outstandingFen)]);
  });
});

describe.each(BACKENDS)('the receipts route on $name', (backend) => {
  const f = useCaseAccount(backend);
  let emulator: Emulator;
  beforeEach(async () => {
    emulator = await startCourtEmulator(population, { latencyMs: 0, caseAccount: f.account() });
  });
  afterEach(() => emulator.close());

  it('takes three receipts off the outstanding amount exactly, in every case answer', async () => {
    const amounts = ['0.01', '1234.56', '98765.43'];
    const expected = [CASE.outstandingFen - 1, CASE.outstandingFen - 123_457, CASE.outstandingFen - 10_000_000].map(formatFen);
    for (const [i, je] of amounts.entries()) {
      expect(await receipt(emulator, { ah: CASE.caseNumber, je, fkr: 'NCB', lsh: `NCB-${i}` })).toEqual({
        status: 200,
        body: { errcode: 0, errmsg: '成功', ah: CASE.caseNumber, lsh: `NCB-${i}`, wzxje: expected[i] },
      });
    }
    expect(await outstandingOf(emulator, CASE, SECOND)).toEqual([expected[2], formatFen(SECOND.outstandingFen)]);
    const docket = await fetch(`${emulator.url}/zxaj/v1/courts/${encodeURIComponent(CASE.courtCode)}/cases?limit=100`).then((r) => r.json());
    expect((docket as { aj: { ah: string; wzxje: string }[] }).aj.find((c) => c.ah === CASE.caseNumber)?.wzxje).toBe(expected[2]);
    expect((await f.account().receiptsOf(CASE.caseNumber)).map((r) => [r.amountFen, r.payer, r.reference])).toEqual([
      [1, 'NCB', 'NCB-0'],
      [123_456, 'NCB', 'NCB-1'],
      [9_876_543, 'NCB', 'NCB-2'],
    ]);
  });

  it('answers a retried serial number again without counting it twice, also 20 at once', async () => {
    const body = { ah: CASE.caseNumber, je: '500.00', fkr: 'NCB', lsh: 'NCB-retry' };
    const answer = { status: 200, body: { errcode: 0, errmsg: '成功', ah: CASE.caseNumber, lsh: 'NCB-retry', wzxje: formatFen(CASE.outstandingFen - 50_000) } };
    expect(await receipt(emulator, body)).toEqual(answer);
    expect(await receipt(emulator, body)).toEqual(answer);
    const burst = { ...body, lsh: 'NCB-burst' };
    const answers = await Promise.all(Array.from({ length: 20 }, () => receipt(emulator, burst)));
    expect(new Set(answers.map((a) => JSON.stringify(a)))).toEqual(
      new Set([JSON.stringify({ status: 200, body: { ...answer.body, lsh: 'NCB-burst', wzxje: formatFen(CASE.outstandingFen - 100_000) } })]),
    );
    expect(await f.account().receiptsOf(CASE.caseNumber)).toHaveLength(2);
    expect(await outstandingOf(emulator, CASE)).toEqual([formatFen(CASE.outstandingFen - 100_000)]);
  });

  it('of two concurrent receipts that together exceed the outstanding amount, accepts one and refuses the other', async () => {
    const more = CASE.outstandingFen - 100;
    await receipt(emulator, { ah: CASE.caseNumber, je: formatFen(more), fkr: 'NCB', lsh: 'most' });
    const answers = await Promise.all(['a', 'b'].map((lsh) => receipt(emulator, { ah: CASE.caseNumber, je: '0.60', fkr: 'HZCB', lsh })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.status === 409)!.body).toEqual({
      errcode: 4091,
      errmsg: `到账金额 0.60 元超过案件 ${CASE.caseNumber} 未执行金额 0.40 元`,
    });
    expect(await outstandingOf(emulator, CASE)).toEqual(['0.40']);
  });

  it('a second emulator over the same case account answers the reduced amounts', async () => {
    await receipt(emulator, { ah: CASE.caseNumber, je: '1234.56', fkr: 'NCB', lsh: 'one' });
    await receipt(emulator, { ah: SECOND.caseNumber, je: '0.01', fkr: 'RCC', lsh: 'two' });
    const restarted = await startCourtEmulator(population, { latencyMs: 0, caseAccount: await f.replica() });
    try {
      expect(await outstandingOf(restarted, CASE, SECOND)).toEqual([formatFen(CASE.outstandingFen - 123_456), formatFen(SECOND.outstandingFen - 1)]);
      expect((await receipt(restarted, { ah: CASE.caseNumber, je: '1234.56', fkr: 'NCB', lsh: 'one' })).body.wzxje).toBe(formatFen(CASE.outstandingFen - 123_456));
    } finally {
      await restarted.close();
    }
  });

  it.each<[string, () => Record<string, unknown>, number, number, string]>([
    ['an unknown case', () => ({ ah: '(2025)浙0106执999999号', je: '1.00', fkr: 'NCB', lsh: 'u' }), 404, 4042, '案号 (2025)浙0106执999999号 不存在'],
    ['a closed case', () => ({ ah: CLOSED.caseNumber, je: '1.00', fkr: 'NCB', lsh: 'c' }), 409, 4092, `案件 ${CLOSED.caseNumber} 已结案，不能登记到账`],
    ['no case number', () => ({ je: '1.00', fkr: 'NCB', lsh: 'n' }), 400, 4002, 'ah (案号) 必须是案号字符串'],
    ['no payer', () => ({ ah: CASE.caseNumber, je: '1.00', lsh: 'p' }), 400, 4002, 'fkr (付款人) 必须是不超过 100 个字符的非空字符串'],
    ['no serial number', () => ({ ah: CASE.caseNumber, je: '1.00', fkr: 'NCB', lsh: '' }), 400, 4002, 'lsh (流水号) 必须是不超过 100 个字符的非空字符串'],
    ['a zero amount', () => ({ ah: CASE.caseNumber, je: '0.00', fkr: 'NCB', lsh: 'z' }), 400, 4003, 'je (金额) 必须是大于 0 的元金额字符串，最多两位小数，如 "1234.56"，收到 "0.00"'],
    ['a negative amount', () => ({ ah: CASE.caseNumber, je: '-5.00', fkr: 'NCB', lsh: 'z' }), 400, 4003, 'je (金额) 必须是大于 0 的元金额字符串，最多两位小数，如 "1234.56"，收到 "-5.00"'],
    ['an amount finer than a fen', () => ({ ah: CASE.caseNumber, je: '1.005', fkr: 'NCB', lsh: 'z' }), 400, 4003, 'je (金额) 必须是大于 0 的元金额字符串，最多两位小数，如 "1234.56"，收到 "1.005"'],
    ['an amount as a number', () => ({ ah: CASE.caseNumber, je: 12.3, fkr: 'NCB', lsh: 'z' }), 400, 4003, 'je (金额) 必须是大于 0 的元金额字符串，最多两位小数，如 "1234.56"，收到 12.3'],
    ['more than is outstanding', () => ({ ah: CASE.caseNumber, je: formatFen(CASE.outstandingFen + 1), fkr: 'NCB', lsh: 'o' }), 409, 4091,
      `到账金额 ${formatFen(CASE.outstandingFen + 1)} 元超过案件 ${CASE.caseNumber} 未执行金额 ${formatFen(CASE.outstandingFen)} 元`],
  ])('refuses %s in the court system\'s error shape', async (_what, body, status, errcode, errmsg) => {
    expect(await receipt(emulator, body())).toEqual({ status, body: { errcode, errmsg } });
    expect(await f.account().paidTotals()).toEqual(new Map());
  });

  it('refuses a serial number already used for a different receipt', async () => {
    await receipt(emulator, { ah: CASE.caseNumber, je: '1.00', fkr: 'NCB', lsh: 'same' });
    expect(await receipt(emulator, { ah: CASE.caseNumber, je: '2.00', fkr: 'NCB', lsh: 'same' })).toEqual({
      status: 409,
      body: { errcode: 4093, errmsg: '流水号 same 已用于另一笔到账' },
    });
    expect(await outstandingOf(emulator, CASE)).toEqual([formatFen(CASE.outstandingFen - 100)]);
  });
});
