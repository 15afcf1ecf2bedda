/**
 * An emulator records the calls it gets for tests and humans, but keeps only a window of the
 * latest (a soak of `npm start` must not grow without end), while counting every call.
 */
import { DEFAULT_CALL_WINDOW, type Emulator, startEmulator } from '../../../../mocks/shared/startEmulator';

const started: Emulator[] = [];
afterAll(async () => {
  for (const e of started) await e.close();
});

async function echoEmulator(callWindow?: number): Promise<Emulator> {
  const emulator = await startEmulator({
    name: 'echo',
    routes: [{ method: 'POST', path: /^\/echo$/, handle: (req) => ({ body: req.body }) }],
    renderError: (refusal) => ({ error: refusal.message }),
    ...(callWindow === undefined ? {} : { callWindow }),
  });
  started.push(emulator);
  return emulator;
}

/** Calls numbered from..to-1, one after another, so they arrive in order. */
async function call(emulator: Emulator, from: number, to: number): Promise<void> {
  for (let n = from; n < to; n++) {
    const response = await fetch(`${emulator.url}/echo`, { method: 'POST', body: JSON.stringify({ n }) });
    expect(await response.json()).toEqual({ n });
  }
}

const numbers = (emulator: Emulator) => emulator.calls.map((c) => (c.body as { n: number }).n);

describe('the calls an emulator keeps', () => {
  it('keeps the latest calls of its window, oldest first, and counts every call', async () => {
    const emulator = await echoEmulator(3);
    await call(emulator, 0, 20);
    expect(numbers(emulator)).toEqual([17, 18, 19]);
    expect(emulator.callsSeen).toBe(20);
    const answer = (await (await fetch(`${emulator.url}/__calls`)).json()) as { seen: number; calls: { body: { n: number } }[] };
    expect({ seen: answer.seen, numbers: answer.calls.map((c) => c.body.n) }).toEqual({ seen: 20, numbers: [17, 18, 19] });
  });

  it('starts counting again on resetCalls', async () => {
    const emulator = await echoEmulator(3);
    await call(emulator, 0, 5);
    emulator.resetCalls();
    expect([emulator.calls, emulator.callsSeen]).toEqual([[], 0]);
    await call(emulator, 5, 7);
    expect([numbers(emulator), emulator.callsSeen]).toEqual([[5, 6], 2]);
  });

  it('drops the oldest at once when its window is narrowed', async () => {
    const emulator = await echoEmulator(10);
    await call(emulator, 0, 6);
    emulator.callWindow = 2;
    expect(numbers(emulator)).toEqual([4, 5]);
    expect(emulator.callsSeen).toBe(6);
  });

  it('keeps 10,000 by default, EMULATOR_CALL_WINDOW if set; refuses a window that is not a positive integer', async () => {
    const saved = process.env.EMULATOR_CALL_WINDOW;
    try {
      delete process.env.EMULATOR_CALL_WINDOW;
      expect(DEFAULT_CALL_WINDOW).toBe(10_000);
      expect((await echoEmulator()).callWindow).toBe(10_000);
      process.env.EMULATOR_CALL_WINDOW = '2';
      const fromEnv = await echoEmulator();
      await call(fromEnv, 0, 4);
      expect([numbers(fromEnv), fromEnv.callsSeen]).toEqual([[2, 3], 4]);
      process.env.EMULATOR_CALL_WINDOW = 'lots';
      await expect(echoEmulator()).rejects.toThrow(/EMULATOR_CALL_WINDOW=lots/);
      await expect(echoEmulator(0)).rejects.toThrow(/positive integer/);
    } finally {
      if (saved === undefined) delete process.env.EMULATOR_CALL_WINDOW;
      else process.env.EMULATOR_CALL_WINDOW = saved;
    }
  });
});
