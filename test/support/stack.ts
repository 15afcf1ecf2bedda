import { type Stack, startStack, type StackOptions } from '../../bin/startStack';
import type { Emulator } from '../../mocks/shared/startEmulator';

/** Starts the whole stack on ephemeral ports for one test file; stops it after the file. */
export function useStack(options: StackOptions = {}): () => Stack {
  let stack: Stack | undefined;
  beforeAll(async () => {
    stack = await startStack({ agencyLatencyMs: 0, agencyTimeoutMs: 2000, ...options });
  });
  afterAll(async () => {
    await stack?.stop();
  });
  beforeEach(() => {
    for (const e of Object.values(stack!.emulators)) {
      e.resetCalls();
      e.setFaults({ mode: 'none', extraLatencyMs: 0 });
    }
  });
  return () => stack!;
}

/** Calls that reached each emulator since the last reset, by emulator name. */
export function callCounts(emulators: Record<string, Emulator>): Record<string, number> {
  return Object.fromEntries(Object.entries(emulators).map(([name, e]) => [name, e.calls.length]));
}
