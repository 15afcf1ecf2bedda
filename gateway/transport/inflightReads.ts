/**
 * Identical subgraph reads in flight at the same time are sent once: the first (the leader)
 * goes out, the others (followers) wait for its answer. Each follower gets its own copy of the
 * answer, because gateway-js merges entity answers into its result tree in place. The leader
 * keeps the original: the followers' copies are taken in the same turn the answer arrives,
 * before the leader's request (a later turn) can change it.
 *
 * What counts as identical is the caller's business (`key`); SignedDataSource uses the
 * subgraph, the request body and every signed fact except the request id.
 */
export class InflightReads<T> {
  private readonly inflight = new Map<string, Promise<T>>();
  private shared = 0;

  constructor(private readonly copy: (value: T) => T) {}

  run(key: string, load: () => Promise<T>): Promise<T> {
    const running = this.inflight.get(key);
    if (running !== undefined) {
      this.shared += 1;
      return running.then(this.copy, (error: unknown) => Promise.reject(copyError(error)));
    }
    const started = load();
    this.inflight.set(key, started);
    // Registered before any caller's continuation, so a read arriving after the answer goes out anew.
    const forget = () => {
      if (this.inflight.get(key) === started) this.inflight.delete(key);
    };
    started.then(forget, forget);
    return started;
  }

  /** Reads answered from another read's call since start (for measurements and tests). */
  get followers(): number {
    return this.shared;
  }

  /** Reads in flight now. */
  get size(): number {
    return this.inflight.size;
  }
}

/** A follower's own error object, so nothing one request does to it shows in another's answer. */
function copyError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const copy = Object.create(Object.getPrototypeOf(error) as object) as Error;
  Object.defineProperties(copy, Object.getOwnPropertyDescriptors(error));
  const extensions = (error as { extensions?: unknown }).extensions;
  if (extensions !== null && typeof extensions === 'object') {
    Object.defineProperty(copy, 'extensions', { value: { ...extensions }, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}
