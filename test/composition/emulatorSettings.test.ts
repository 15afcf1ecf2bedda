/**
 * The README's table of an emulator's settings ("Agency emulators") is held to the schema
 * bin/emulator.ts reads (stack/emulatorConfig.ts): one row per variable, none more, and the
 * defaults the schema applies; and the schema refuses what it must.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { DEFAULT_CALL_WINDOW } from '../../mocks/shared/startEmulator';
import { EMULATOR_ENV, EmulatorConfigError, loadEmulatorConfig } from '../../stack/emulatorConfig';
import { REPO_ROOT } from '../support/repoRoot';

const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const start = README.indexOf('\n## Agency emulators\n');
const section = README.slice(start, README.indexOf('\n## ', start + 1));
const ROW = /^\| `([A-Z][A-Z0-9_]*)` \| (.*?) \| .* \|$/;
const rows = new Map(section.split('\n').flatMap((line) => {
  const m = ROW.exec(line);
  return m ? [[m[1]!, m[2]!] as const] : [];
}));

describe("the README's emulator settings table", () => {
  it('has one row for every variable the emulator reads, and none else', () => {
    expect([...rows.keys()].sort()).toEqual(Object.keys(EMULATOR_ENV).sort());
  });

  it('states the defaults the schema applies', () => {
    const defaults = z.object(EMULATOR_ENV).parse({}) as Record<string, unknown>;
    const stated = Object.entries(defaults).filter(([, v]) => typeof v === 'number' || (typeof v === 'string' && v !== ''));
    expect(stated.length).toBeGreaterThan(3);
    for (const [name, value] of stated) expect({ name, cell: rows.get(name) }).toEqual({ name, cell: `\`${String(value)}\`` });
    // Applied where the calls are kept (mocks/shared/startEmulator.ts), not by the schema.
    expect(rows.get('EMULATOR_CALL_WINDOW')).toBe(`\`${DEFAULT_CALL_WINDOW}\``);
  });
});

describe('loadEmulatorConfig', () => {
  it('reads every setting', () => {
    expect(
      loadEmulatorConfig('bank:NCB', { PORT: '5101', HOST: '0.0.0.0', POPULATION_PERSONS: '300', POPULATION_SEED: '7', COURT_URL: 'http://court:5100', EMULATOR_LATENCY_MS: '5', EMULATOR_ANSWER_DELAY_MS: '2000', EMULATOR_TABLE_PREFIX: 'p1_' }),
    ).toEqual({ port: 5101, host: '0.0.0.0', persons: 300, seed: 7, databaseUrl: undefined, tablePrefix: 'p1_', courtUrl: 'http://court:5100', latencyMs: 5, answerDelayMs: 2000 });
  });

  it('refuses a bad value or a bank without the court, naming the variable', () => {
    expect(() => loadEmulatorConfig('vehicle', { PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadEmulatorConfig('vehicle', { EMULATOR_TABLE_PREFIX: 'Drop Table' })).toThrow(/EMULATOR_TABLE_PREFIX/);
    expect(() => loadEmulatorConfig('bank:WEB', {})).toThrow(new EmulatorConfigError('Invalid configuration of the bank:WEB emulator: COURT_URL is required: the bank pays deducted funds into the court\'s case account'));
  });

  it('takes DATABASE_URL from DATABASE_URL_FILE, never both', () => {
    const file = join(tmpdir(), `cag-emulator-db-${process.pid}`);
    writeFileSync(file, 'postgres://u:p@db:5432/x\n');
    expect(loadEmulatorConfig('vehicle', { DATABASE_URL_FILE: file }).databaseUrl).toBe('postgres://u:p@db:5432/x');
    expect(() => loadEmulatorConfig('vehicle', { DATABASE_URL_FILE: file, DATABASE_URL: 'postgres://db/x' })).toThrow(/set DATABASE_URL or DATABASE_URL_FILE, not both/);
  });
});
