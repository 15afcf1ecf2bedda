import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * One process at a time in a PGlite data directory. PGlite is an embedded PostgreSQL with no
 * postmaster to hold `postmaster.pid`: two processes opening one directory (a second
 * `npm start`, `npm run audit:verify` beside a running gateway) would both write its files and
 * corrupt it, the audit log with it. So opening takes `<dataDir>.lock` (created exclusively,
 * naming the holder) and closing gives it back. A lock whose process is gone (it crashed) is
 * taken over; one held by a live process, or by another host (a shared volume, where its
 * process cannot be looked up), is refused with who holds it.
 */
export interface DataDirLock {
  release(): void;
}

interface Holder {
  pid: number;
  host: string;
  since: string;
}

export class DataDirInUseError extends Error {
  constructor(dataDir: string, holder: Holder) {
    super(
      `The PGlite data directory ${dataDir} is in use by process ${holder.pid} on ${holder.host} (since ${holder.since}). ` +
        'PGlite is single-process: stop that process first, or use PostgreSQL (DATABASE_URL) to share one database. ' +
        `If that process is gone, delete ${lockPath(dataDir)}.`,
    );
    this.name = 'DataDirInUseError';
  }
}

export function lockPath(dataDir: string): string {
  return `${dataDir.replace(/\/+$/, '')}.lock`;
}

export function lockDataDir(dataDir: string): DataDirLock {
  const path = lockPath(dataDir);
  const mine: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, `${JSON.stringify(mine)}\n`, { flag: 'wx' });
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          try {
            unlinkSync(path);
          } catch {
            // Already gone: nothing to give back.
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(path);
    if (holder && (holder.host !== mine.host || alive(holder.pid))) throw new DataDirInUseError(dataDir, holder);
    // Left by a process that is gone (or unreadable, half-written by one that died): take it over.
    // Removed, then created exclusively again: of two processes doing this at once, one wins.
    try {
      unlinkSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  const holder = readHolder(path);
  throw holder ? new DataDirInUseError(dataDir, holder) : new Error(`Could not take the lock ${path} of the PGlite data directory ${dataDir}.`);
}

function readHolder(path: string): Holder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<Holder>;
    if (typeof parsed.pid === 'number' && typeof parsed.host === 'string' && typeof parsed.since === 'string') return parsed as Holder;
  } catch {
    // Missing or unreadable: no live holder named.
  }
  return undefined;
}

/** Whether a process of this host is running; our own process counts (a second open in it). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
