/**
 * Runs tasks one at a time in the order they were queued: a promise queue for a resource
 * that must not interleave work (PGlite has a single connection).
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    // A failed task must not stop the ones queued after it.
    this.tail = result.catch(() => undefined);
    return result;
  }
}
