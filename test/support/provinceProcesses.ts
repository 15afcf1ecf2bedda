import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from './repoRoot';

/** One process of the province topology, started from its environment alone. */
export interface ProvinceProcess {
  name: string;
  child: ChildProcess;
  /** The JSON of its `READY` line (bin/gateway.ts, bin/subgraph.ts, bin/emulator.ts). */
  ready: Record<string, string>;
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * `node --import tsx <entry> <args>` with exactly `env` over PATH/HOME (nothing of the test's own
 * environment leaks in: each process starts from what it is given). Resolves on its READY line;
 * rejects if it exits first, with its output.
 */
export async function startEntry(name: string, entry: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<ProvinceProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const ready = await new Promise<Record<string, string>>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      const m = /^READY (.*)$/.exec(line);
      if (m) resolve(JSON.parse(m[1]!) as Record<string, string>);
    });
    createInterface({ input: child.stderr! }).on('line', (line) => output.push(line));
    void exited.then(({ code, signal }) => reject(new Error(`${name} exited (${code ?? signal}) before it was ready:\n${output.slice(-30).join('\n')}`)));
  });
  return { name, child, ready, output, exited };
}

/** Started HAProxy in the foreground (-db) with `config`, addresses from `env`. */
export function startHaproxy(config: string, env: NodeJS.ProcessEnv): Omit<ProvinceProcess, 'ready'> {
  const child = spawn('/usr/sbin/haproxy', ['-db', '-f', config], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => output.push(line));
  createInterface({ input: child.stderr! }).on('line', (line) => output.push(line));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { name: 'haproxy', child, output, exited };
}

/** A port free right now on loopback (for a listener that cannot take 0, like HAProxy's bind). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** SIGKILLs every process still running (afterAll, whatever happened). */
export async function killAll(processes: readonly Pick<ProvinceProcess, 'child' | 'exited'>[]): Promise<void> {
  for (const p of processes) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await Promise.all(processes.map((p) => p.exited));
}
