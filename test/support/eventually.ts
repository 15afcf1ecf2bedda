type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>;

/**
 * Resolves with `check`'s first truthy answer, asked every 50 ms: for outcomes that come in
 * their own time (a job run by a worker, a sweep finishing). Fails after `timeoutMs`, a guard
 * against a hang, not a speed budget.
 */
export async function eventually<T>(what: string, check: () => T | Promise<T>, timeoutMs = 60_000): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as Truthy<T>;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
