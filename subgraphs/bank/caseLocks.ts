/**
 * Runs tasks for one key (a case number) one at a time, in order of arrival, so two freezes of
 * one case checked for over-seizure at once cannot both pass on the same snapshot. It holds
 * within one subgraph process: the banks' books lock per account, never per case across banks.
 */
export class CaseLocks {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    // The next task waits for this one to settle, never for its outcome.
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    try {
      return await result;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
