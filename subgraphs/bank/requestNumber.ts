import { randomUUID } from 'node:crypto';

/**
 * A new request number (请求单号) for one call to a bank: the SPC/CBRC spec has every request
 * carry its own, and banks refuse a number they have seen before. The prefix says who asked.
 */
export function newRequestNumber(): string {
  return `CAG${randomUUID().replaceAll('-', '').toUpperCase()}`;
}
