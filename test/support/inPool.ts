/**
 * Maps `items` through `fn` with at most `size` calls in flight, answers in the items' order.
 * A court's client pools its connections; one opening a socket per request by the hundred is
 * what the gateway's per-address connection cap (lib/http/httpLimits.ts, 64) cuts off.
 */
export async function inPool<T, R>(items: readonly T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  return results;
}
