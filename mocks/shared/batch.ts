import { AgencyRefusal } from './startEmulator';

/**
 * Reads the list of keys from a batch request body and enforces the agency's batch limit,
 * as real agency systems do (they refuse oversized batches instead of truncating them).
 */
export function batchKeys(body: unknown, field: string, maxBatch: number, refusalCode = 'BATCH_TOO_LARGE'): string[] {
  const keys = (body as Record<string, unknown> | undefined)?.[field];
  if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string')) {
    throw new AgencyRefusal(400, 'BAD_REQUEST', `${field} must be an array of strings`);
  }
  if (keys.length === 0) throw new AgencyRefusal(400, 'BAD_REQUEST', `${field} must not be empty`);
  if (keys.length > maxBatch) {
    throw new AgencyRefusal(413, refusalCode, `at most ${maxBatch} keys per request, got ${keys.length}`);
  }
  return keys as string[];
}

/** Groups records by an owner key once, so a batch lookup is a map read per key. */
export function indexBy<T>(records: readonly T[], keysOf: (record: T) => string[]): Map<string, T[]> {
  const index = new Map<string, T[]>();
  for (const record of records) {
    for (const key of keysOf(record)) {
      const list = index.get(key);
      if (list) list.push(record);
      else index.set(key, [record]);
    }
  }
  return index;
}
