import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from './repoRoot';

const ROOT = REPO_ROOT;

/** What bin/start.ts's `READY` line says. */
export interface ReadyLine {
  gateway: string;
  /** Agency emulators by name (court, bank:NCB, ..., vehicle), base URLs. */
  emulators: Record<string, string>;
}

export interface NpmStart {
  /** The npm process; leader of the process group `pgid`, which holds everything npm starts. */
  npm: ChildProcess;
  pgid: number;
  ready: ReadyLine;
  /** stdout and stderr lines so far. */
  output: string[];
  /** npm's exit. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * `npm start -- <args>` as an operator runs it, in a session and process group of its own
 * (as a terminal or a service manager gives it), so a signal can go to the whole group, to
 * npm alone, or to the server alone. Resolves on the `READY` line.
 */
export async function npmStart(args: readonly string[], env: NodeJS.ProcessEnv): Promise<NpmStart> {
  const npm = spawn('npm', ['start', '--', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const output: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => npm.once('exit', (code, signal) => resolve({ code, signal })));
  const ready = new Promise<ReadyLine>((resolve, reject) => {
    createInterface({ input: npm.stdout! }).on('line', (line) => {
      output.push(line);
      const m = /^READY (.*)$/.exec(line);
      if (m) resolve(JSON.parse(m[1]!) as ReadyLine);
    });
    createInterface({ input: npm.stderr! }).on('line', (line) => output.push(line));
    void exited.then(({ code, signal }) => reject(new Error(`npm start exited (${code ?? signal}) before it was ready:\n${output.join('\n')}`)));
  });
  return { npm, pgid: npm.pid!, ready: await ready, output, exited };
}

/** Whether any process is left in the group (signal 0 checks without signalling). */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/** Ends whatever is left of a group this test started. */
export function killGroup(pgid: number): void {
  if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
}

/** `promise`'s value, or 'still running' if it has not settled within `ms` (a bound on a wait, never a measure of speed). */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | 'still running'> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<'still running'>((resolve) => (timer = setTimeout(() => resolve('still running'), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Waits until `condition` holds, checking every 20 ms; fails after `ms`. A hang guard on a wait
 * for an event that must happen, never a measure of speed: pass a generous `ms` (a minute).
 */
export async function until(condition: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
