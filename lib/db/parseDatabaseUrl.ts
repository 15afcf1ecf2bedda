import { isAbsolute, resolve } from 'node:path';

/** Where a database lives, as read from a URL. */
export type DatabaseLocation =
  | { kind: 'postgres'; connectionString: string }
  /** `dataDir` undefined: in memory, gone on close. */
  | { kind: 'pglite'; dataDir: string | undefined };

/**
 * Reads a database URL:
 * - none or empty: PGlite in memory;
 * - `postgres://…` / `postgresql://…`: a PostgreSQL server;
 * - `pglite:///abs/dir`: a PGlite data directory at an absolute path (percent-encoded);
 * - `pglite:rel/dir`: a PGlite data directory relative to `cwd`.
 */
export function parseDatabaseUrl(url: string | undefined, cwd: string = process.cwd()): DatabaseLocation {
  if (url === undefined || url === '') return { kind: 'pglite', dataDir: undefined };
  if (/^postgres(ql)?:\/\//i.test(url)) return { kind: 'postgres', connectionString: url };
  if (/^pglite:/i.test(url)) {
    const rest = url.slice('pglite:'.length);
    let path: string;
    if (rest.startsWith('//')) {
      // pglite:///abs/dir — an empty host, then an absolute path.
      if (!rest.startsWith('///')) throw new Error('A pglite URL with "//" takes no host: write pglite:///absolute/dir.');
      path = rest.slice(2);
    } else {
      path = rest;
    }
    path = decodeURIComponent(path);
    if (path === '') throw new Error('A pglite URL needs a directory: pglite:///absolute/dir or pglite:relative/dir.');
    return { kind: 'pglite', dataDir: isAbsolute(path) ? path : resolve(cwd, path) };
  }
  // Name only the scheme: the URL may carry a password.
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  throw new Error(
    `Unsupported database URL${scheme ? ` scheme "${scheme}:"` : ''}: use postgres://…, pglite:///absolute/dir, pglite:relative/dir, or none for PGlite in memory.`,
  );
}
