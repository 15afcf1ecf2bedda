import DataLoader from 'dataloader';

/**
 * A per-request DataLoader over an agency's batch endpoint: keys asked for in one tick go
 * out together, split into calls of at most `maxBatchSize` (the agency's own limit), so N
 * keys cost ceil(N / maxBatchSize) calls. `lookup` answers a map; a key the agency does not
 * know gets `missing()`.
 */
export function batchLoader<V>(
  maxBatchSize: number,
  lookup: (keys: readonly string[]) => Promise<Map<string, V>>,
  missing: () => V,
): DataLoader<string, V> {
  return new DataLoader<string, V>(
    async (keys) => {
      const found = await lookup(keys);
      return keys.map((key) => found.get(key) ?? missing());
    },
    { maxBatchSize },
  );
}

/** Groups rows by owner key, for agencies that answer one flat list for a batch of owners. */
export function groupBy<T>(rows: readonly T[], keyOf: (row: T) => string): Map<string, T[]> {
  const grouped = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const list = grouped.get(key);
    if (list) list.push(row);
    else grouped.set(key, [row]);
  }
  return grouped;
}
