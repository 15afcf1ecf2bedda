import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSecretFiles, secretsAmong } from '../../../../lib/config/secretFiles';

const dir = mkdtempSync(join(tmpdir(), 'cag-secret-files-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('readSecretFiles', () => {
  it('reads <NAME>_FILE into <NAME>, dropping one trailing newline, and leaves the rest alone', () => {
    const env = readSecretFiles({ SUBGRAPH_SECRET_FILE: file('s', 'secret value\n'), PORT: '4000' }, ['SUBGRAPH_SECRET', 'METRICS_TOKEN']);
    expect(env).toEqual({ SUBGRAPH_SECRET_FILE: join(dir, 's'), SUBGRAPH_SECRET: 'secret value', PORT: '4000' });
  });

  it('refuses both, an unreadable file and an empty one, naming the variable but never the value', () => {
    const path = file('t', 'the-token');
    expect(() => readSecretFiles({ METRICS_TOKEN_FILE: path, METRICS_TOKEN: 'x' }, ['METRICS_TOKEN'])).toThrow('set METRICS_TOKEN or METRICS_TOKEN_FILE, not both');
    expect(() => readSecretFiles({ METRICS_TOKEN_FILE: join(dir, 'none') }, ['METRICS_TOKEN'])).toThrow(`METRICS_TOKEN_FILE: cannot read ${join(dir, 'none')} (ENOENT)`);
    expect(() => readSecretFiles({ METRICS_TOKEN_FILE: file('e', '\n') }, ['METRICS_TOKEN'])).toThrow(`METRICS_TOKEN_FILE: ${join(dir, 'e')} is empty`);
  });

  it('knows which settings are secrets', () => {
    expect(secretsAmong(['PORT', 'DATABASE_URL', 'SUBGRAPH_SECRET', 'AUDIT_DB'])).toEqual(['DATABASE_URL', 'SUBGRAPH_SECRET']);
  });
});
