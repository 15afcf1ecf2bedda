import { type ChildProcess, fork } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The benchmark runs every server in a process of its own (so each gateway's memory and CPU
 * are its own) and talks to it over Node's IPC channel: the child says `ready` once, then
 * answers numbered commands.
 */

type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
type ReadyMessage<T> = { type: 'ready'; info: T } | { type: 'failed'; error: string };

export interface Child<TInfo> {
  readonly name: string;
  readonly pid: number;
  readonly info: TInfo;
  command<T = unknown>(name: string, args?: unknown): Promise<T>;
  /** Asks the child to stop its servers and exit; kills it if it has not within 15 s. */
  stop(): Promise<void>;
}

/**
 * Starts `file` (TypeScript, run through the same loader as this process) with `args` as its
 * one JSON argument; resolves when it reports ready. Its standard output and error go to
 * `logFile`: a gateway logs each request, and an unread pipe would stall it.
 */
export async function startChild<TInfo>(name: string, file: string, args: unknown, logFile: string): Promise<Child<TInfo>> {
  const log = openSync(logFile, 'a');
  const execArgv = process.execArgv.length > 0 ? [...process.execArgv] : ['--import', 'tsx'];
  // BENCH_CPU_PROF=<dir>: each server writes a V8 CPU profile there when it stops (to find where its time goes).
  const profileDir = process.env.BENCH_CPU_PROF;
  if (profileDir) execArgv.push('--cpu-prof', `--cpu-prof-dir=${join(profileDir, name.replace(/[^A-Za-z0-9-]+/g, '-'))}`);
  const child: ChildProcess = fork(file, [JSON.stringify(args)], {
    execArgv,
    stdio: ['ignore', log, log, 'ipc'],
    env: { ...process.env, NODE_ENV: 'development' },
  });
  closeSync(log);
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 1;
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code) => {
    exited = true;
    for (const p of pending.values()) p.reject(new Error(`${name} exited (code ${code}); see ${logFile}`));
    pending.clear();
  });

  const info = await new Promise<TInfo>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`${name} exited while starting (code ${code}); see ${logFile}`));
    child.once('exit', onExit);
    child.on('message', (message: ReadyMessage<TInfo> | Reply) => {
      if ('type' in message) {
        child.off('exit', onExit);
        if (message.type === 'ready') resolve(message.info);
        else reject(new Error(`${name} failed to start: ${message.error}`));
        return;
      }
      const waiting = pending.get(message.id);
      if (!waiting) return;
      pending.delete(message.id);
      if (message.ok) waiting.resolve(message.result);
      else waiting.reject(new Error(`${name}: ${message.error}`));
    });
  });

  const command = <T>(cmd: string, cmdArgs?: unknown): Promise<T> => {
    if (exited) return Promise.reject(new Error(`${name} has exited`));
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, cmd, args: cmdArgs });
    });
  };
  return {
    name,
    pid: child.pid!,
    info,
    command,
    async stop() {
      if (exited) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await command('stop').catch(() => undefined);
      await exitedPromise;
      clearTimeout(timer);
    },
  };
}

/**
 * The child's side: reports `ready` with what `start` returns, then runs commands by name.
 * `stop` is always there: it runs `onStop` and exits.
 */
export function serveChild<TInfo>(
  start: (args: any) => Promise<{ info: TInfo; commands?: Record<string, (args: any) => unknown>; onStop?: () => Promise<void> }>,
): void {
  const args = JSON.parse(process.argv[2] ?? '{}') as unknown;
  start(args).then(
    ({ info, commands = {}, onStop }) => {
      process.on('message', async (message: { id: number; cmd: string; args: unknown }) => {
        if (message.cmd === 'stop') {
          await onStop?.().catch(() => undefined);
          process.send!({ id: message.id, ok: true, result: null }, () => process.exit(0));
          return;
        }
        const handler = commands[message.cmd];
        try {
          if (!handler) throw new Error(`no command ${message.cmd}`);
          process.send!({ id: message.id, ok: true, result: await handler(message.args) });
        } catch (error) {
          process.send!({ id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) });
        }
      });
      // The parent going away (Ctrl-C, a crash) ends the child too.
      process.on('disconnect', () => process.exit(0));
      process.send!({ type: 'ready', info });
    },
    (error: unknown) => {
      process.send!({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () => process.exit(1));
    },
  );
}
