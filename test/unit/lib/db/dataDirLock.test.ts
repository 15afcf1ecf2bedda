import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockPath } from '../../../../lib/db/dataDirLock';
import { openDatabase } from '../../../../lib/db/openDatabase';

/**
 * A PGlite data directory is one process's at a time: a second opener (another `npm start`,
 * `audit:verify` beside a running gateway) is refused, naming the holder, instead of both
 * writing the files; a lock left by a process that died is taken over.
 */
let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'datadir-lock-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const url = (dir: string) => `pglite://${dir}`;

describe('the PGlite data directory lock', () => {
  it('refuses a second opener while the first holds the directory, and lets it in once closed', async () => {
    const dir = join(root, 'audit');
    const first = await openDatabase({ url: url(dir) });
    await first.query('CREATE TABLE kept (n int)');
    await expect(openDatabase({ url: url(dir) })).rejects.toThrow(
      new RegExp(`^The PGlite data directory ${dir} is in use by process ${process.pid} on ${hostname()} \\(since .+\\)\\. PGlite is single-process`),
    );
    expect(JSON.parse(readFileSync(lockPath(dir), 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    await first.close();
    expect(existsSync(lockPath(dir))).toBe(false);

    const second = await openDatabase({ url: url(dir) });
    await expect(second.query('SELECT count(*)::int AS n FROM kept')).resolves.toEqual({ rows: [{ n: 0 }] });
    await second.close();
  });

  it('refuses while another live process of this host holds it', async () => {
    const dir = join(root, 'audit');
    const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      writeFileSync(lockPath(dir), JSON.stringify({ pid: holder.pid, host: hostname(), since: '2026-12-03T00:00:00.000Z' }));
      await expect(openDatabase({ url: url(dir) })).rejects.toThrow(`in use by process ${holder.pid} on ${hostname()}`);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('refuses a lock another host holds: its process cannot be looked up from here', async () => {
    const dir = join(root, 'audit');
    writeFileSync(lockPath(dir), JSON.stringify({ pid: 1, host: 'other-host', since: '2026-12-03T00:00:00.000Z' }));
    await expect(openDatabase({ url: url(dir) })).rejects.toThrow(`in use by process 1 on other-host`);
  });

  it('takes over a lock left by a process that is gone, or one it cannot read', async () => {
    const dir = join(root, 'audit');
    const gone = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    writeFileSync(lockPath(dir), JSON.stringify({ pid: Number(gone.stdout.trim()), host: hostname(), since: '2026-12-03T00:00:00.000Z' }));
    const db = await openDatabase({ url: url(dir) });
    expect(JSON.parse(readFileSync(lockPath(dir), 'utf8'))).toMatchObject({ pid: process.pid });
    await db.close();

    writeFileSync(lockPath(dir), '{"pid":');
    const again = await openDatabase({ url: url(dir) });
    await again.close();
    expect(existsSync(lockPath(dir))).toBe(false);
  });

  it('takes no lock in memory: any number of in-memory databases at once', async () => {
    const [a, b] = await Promise.all([openDatabase(), openDatabase()]);
    await Promise.all([a.close(), b.close()]);
  });
});
