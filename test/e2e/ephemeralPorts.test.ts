/**
 * `npm start -- --ephemeral-ports` moves everything to free ports, the gateway too (not PORT,
 * not 4000), so several stacks run on one host at once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { groupAlive, killGroup, type NpmStart, npmStart, within } from '../support/npmStart';

describe('npm start -- --ephemeral-ports', () => {
  const dirs: string[] = [];
  const groups: number[] = [];

  afterAll(() => {
    for (const pgid of groups) killGroup(pgid);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('two stacks at once both start, each gateway on a port of its own, whatever PORT says', async () => {
    const start = async (): Promise<NpmStart> => {
      const dir = mkdtempSync(join(tmpdir(), 'ephemeral-'));
      dirs.push(dir);
      // Each its own audit database: PGlite is one process's. PORT is what --ephemeral-ports overrides.
      const started = await npmStart(['--persons', '50', '--ephemeral-ports'], { AUDIT_DB: join(dir, 'audit'), DATABASE_URL: '', REDIS_URL: '', PORT: '4000' });
      groups.push(started.pgid);
      return started;
    };
    const stacks = await Promise.all([start(), start()]);

    const ports = stacks.map((s) => new URL(s.ready.gateway).port);
    expect(new Set(ports).size).toBe(2);
    expect(ports).not.toContain('4000');
    for (const s of stacks) {
      const health = await fetch(s.ready.gateway.replace('/graphql', '/healthz'));
      expect(await health.json()).toEqual({ status: 'ok' });
    }

    for (const s of stacks) process.kill(-s.pgid, 'SIGTERM');
    for (const s of stacks) {
      expect(await within(s.exited, 30_000)).toEqual({ code: 0, signal: null });
      expect(groupAlive(s.pgid)).toBe(false);
    }
  }, 90_000);
});
