import { codedError } from '../../lib/errors/codedError';

/** Opaque docket cursors: the position after which the next page starts. */
export function encodeCursor(offset: number): string {
  return Buffer.from(`docket:${offset}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): number {
  const m = /^docket:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) {
    throw codedError('BAD_USER_INPUT', 'Argument "after" is not a cursor returned by this docket.', { argument: 'after' });
  }
  return Number(m[1]);
}
