import { CaseAccount, CaseAccountError, type Receipt, type ReceiptInput } from '../../../../mocks/court/caseAccount';
import { BACKENDS, RECEIVED_AT, useCaseAccount } from '../../../support/caseAccountHarness';

const CASE = '(2025)浙0106执101号';
const OTHER_CASE = '(2025)浙0108执202号';

const receiptInput = (over: Partial<ReceiptInput> = {}): ReceiptInput => ({
  caseNumber: CASE,
  amountFen: 10_000,
  payer: 'NCB',
  reference: 'NCB-20250301-0001',
  ...over,
});

const stored = (id: string, input: ReceiptInput): Receipt => ({ id, ...input, receivedAt: RECEIVED_AT });

/** The whole refusal a promise rejected with. */
async function refusalOf(promise: Promise<unknown>): Promise<{ code: string; message: string; details: Record<string, unknown> }> {
  const error = await promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e,
  );
  if (!(error instanceof CaseAccountError)) throw error;
  return { code: error.code, message: error.message, details: error.details };
}

describe.each(BACKENDS)('case account on $name', (backend) => {
  const f = useCaseAccount(backend);

  it('receipts of 0.01, 1234.56 and 98765.43 yuan reduce the outstanding amount exactly, to zero', async () => {
    const outstanding = 1 + 123_456 + 9_876_543;
    const first = receiptInput({ amountFen: 1, reference: 'r1' });
    expect(await f.account().receive(first, outstanding)).toEqual({ receipt: stored('1', first), paidFen: 1 });
    expect((await f.account().receive(receiptInput({ amountFen: 123_456, reference: 'r2' }), outstanding)).paidFen).toBe(123_457);
    expect((await f.account().receive(receiptInput({ amountFen: 9_876_543, reference: 'r3' }), outstanding)).paidFen).toBe(outstanding);
    expect(await f.account().paidByCase([CASE, OTHER_CASE])).toEqual(new Map([[CASE, outstanding], [OTHER_CASE, 0]]));
    expect(await refusalOf(f.account().receive(receiptInput({ amountFen: 1, reference: 'r4' }), outstanding))).toEqual({
      code: 'EXCEEDS_OUTSTANDING',
      message: `A receipt of 1 fen exceeds the 0 fen outstanding in case ${CASE}.`,
      details: { caseNumber: CASE, amountFen: 1, outstandingFen: 0 },
    });
    expect((await f.account().receiptsOf(CASE)).map((r) => r.amountFen)).toEqual([1, 123_456, 9_876_543]);
  });

  it('keeps amounts up to the largest safe integer of fen exact', async () => {
    const max = Number.MAX_SAFE_INTEGER;
    const big = receiptInput({ amountFen: max - 1, reference: 'big' });
    expect((await f.account().receive(big, max)).paidFen).toBe(max - 1);
    expect((await f.account().receive(receiptInput({ amountFen: 1, reference: 'last' }), max)).paidFen).toBe(max);
    expect(await f.account().paidTotals()).toEqual(new Map([[CASE, max]]));
  });

  it('answers the same reference again with the receipt it made, and records it once', async () => {
    const input = receiptInput();
    const first = await f.account().receive(input, 50_000);
    expect(await f.account().receive(input, 50_000)).toEqual(first);
    // A retry is not a new receipt: it is answered even when nothing is left to pay.
    await f.account().receive(receiptInput({ amountFen: 40_000, reference: 'rest' }), 50_000);
    expect(await f.account().receive(input, 50_000)).toEqual({ receipt: first.receipt, paidFen: 50_000 });
    expect(await f.account().receiptsOf(CASE)).toHaveLength(2);
  });

  it('refuses a reference already used for a different receipt', async () => {
    await f.account().receive(receiptInput(), 50_000);
    for (const other of [{ amountFen: 10_001 }, { payer: 'HZCB' }, { caseNumber: OTHER_CASE }]) {
      expect(await refusalOf(f.account().receive(receiptInput(other), 50_000))).toEqual({
        code: 'REFERENCE_REUSED',
        message: 'Reference NCB-20250301-0001 was already used for a different receipt (receipt 1).',
        details: { receiptId: '1', reference: 'NCB-20250301-0001' },
      });
    }
    expect(await f.account().paidTotals()).toEqual(new Map([[CASE, 10_000]]));
  });

  it('20 concurrent receipts with one reference, on two replicas, make one receipt', async () => {
    const accounts = [f.account(), await f.replica()];
    const input = receiptInput();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => accounts[i % 2]!.receive(input, 50_000)));
    for (const result of results) expect(result).toEqual({ receipt: stored('1', input), paidFen: 10_000 });
    expect(await f.account().receiptsOf(CASE)).toEqual([stored('1', input)]);
  });

  it('one reference sent concurrently for two cases is recorded for one and refused for the other', async () => {
    const accounts = [f.account(), await f.replica()];
    const settled = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => accounts[i % 2]!.receive(receiptInput({ caseNumber: i % 2 ? OTHER_CASE : CASE }), 50_000)),
    );
    const made = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value.receipt] : []));
    const refused = settled.flatMap((s) => (s.status === 'rejected' ? [(s.reason as CaseAccountError).code] : []));
    expect(made).toHaveLength(5);
    expect(new Set(made.map((r) => r.id))).toEqual(new Set(['1']));
    expect(refused).toEqual(Array(5).fill('REFERENCE_REUSED'));
    const totals = await f.account().paidTotals();
    expect(totals.size).toBe(1);
    expect([...totals.values()]).toEqual([10_000]);
  });

  it('of two concurrent receipts that each fit but together exceed the outstanding amount, accepts exactly one', async () => {
    const accounts = [f.account(), await f.replica()];
    const settled = await Promise.allSettled([
      accounts[0]!.receive(receiptInput({ amountFen: 600, reference: 'a' }), 1_000),
      accounts[1]!.receive(receiptInput({ amountFen: 600, reference: 'b' }), 1_000),
    ]);
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
    const [refused] = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as CaseAccountError] : []));
    expect({ code: refused?.code, details: refused?.details }).toEqual({
      code: 'EXCEEDS_OUTSTANDING',
      details: { caseNumber: CASE, amountFen: 600, outstandingFen: 400 },
    });
    expect(await f.account().paidByCase([CASE])).toEqual(new Map([[CASE, 600]]));
  });

  it('never overshoots under many concurrent receipts on two replicas', async () => {
    const accounts = [f.account(), await f.replica()];
    const settled = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) => accounts[i % 2]!.receive(receiptInput({ amountFen: 333, reference: `n-${i}` }), 1_000)),
    );
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(3);
    expect(await f.account().paidByCase([CASE])).toEqual(new Map([[CASE, 999]]));
  });

  it('a second account over the same table sees every receipt', async () => {
    await f.account().receive(receiptInput({ amountFen: 1, reference: 'x' }), 1_000);
    await f.account().receive(receiptInput({ caseNumber: OTHER_CASE, amountFen: 250, reference: 'y' }), 1_000);
    const replica = await f.replica();
    expect(await replica.paidTotals()).toEqual(new Map([[CASE, 1], [OTHER_CASE, 250]]));
    expect(await refusalOf(replica.receive(receiptInput({ amountFen: 1_000, reference: 'z' }), 1_000))).toMatchObject({
      code: 'EXCEEDS_OUTSTANDING',
      details: { outstandingFen: 999 },
    });
  });

  it.each<[string, Partial<ReceiptInput>, string]>([
    ['a zero amount', { amountFen: 0 }, 'amountFen must be a whole number of fen above 0, got 0.'],
    ['a fraction of a fen', { amountFen: 1.5 }, 'amountFen must be a whole number of fen above 0, got 1.5.'],
    ['a negative amount', { amountFen: -100 }, 'amountFen must be a whole number of fen above 0, got -100.'],
    ['no case number', { caseNumber: '' }, 'caseNumber must be a case number.'],
    ['a blank payer', { payer: ' ' }, 'payer must be a non-blank string of at most 100 characters.'],
    ['a reference too long', { reference: 'r'.repeat(101) }, 'reference must be a non-blank string of at most 100 characters.'],
  ])('refuses %s before touching the database', async (_what, over, message) => {
    const field = message.split(' ')[0];
    expect(await refusalOf(f.account().receive(receiptInput(over), 1_000_000))).toEqual({ code: 'INVALID_INPUT', message, details: { field } });
    expect(await f.account().paidTotals()).toEqual(new Map());
  });

  it('refuses a table name that is not a plain identifier', async () => {
    await expect(CaseAccount.open(f.db(), { table: 'receipts; DROP TABLE x' })).rejects.toThrow(
      'Case account table name "receipts; DROP TABLE x" is not allowed: use lowercase letters, digits and _, at most 48 characters.',
    );
  });
});
