/**
 * One subgraph started alone, as an agency runs its own: `npm run subgraph -- vehicle` in a
 * process of its own, configured only by its environment, against an emulator this test
 * starts as its agency. It answers a signed request, refuses an unsigned one, stops
 * gracefully on SIGTERM, and refuses to start on a bad configuration, naming the variable.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createPopulation } from '../../../mocks/population';
import type { Emulator } from '../../../mocks/shared/startEmulator';
import { startVehicleEmulator } from '../../../mocks/vehicle/server';
import { postGraphQL } from '../../support/postGraphQL';
import { postSigned, TEST_SUBGRAPH_SECRET } from '../../support/signedHeaders';
import { REPO_ROOT } from '../../support/repoRoot';

const ROOT = REPO_ROOT;
const population = createPopulation({ persons: 300 });
const { richDebtor } = population.scenarios;
const VEHICLES = `{ _entities(representations: [{ __typename: "Person", idNumber: "${richDebtor.idNumber}" }]) { ... on Person { vehicles { vin } } } }`;

interface Started {
  npm: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
  /** The READY line's URL, or undefined if the process exited first. */
  url: Promise<string | undefined>;
}

/** `npm run subgraph -- <name>` with exactly `env` (and PATH, HOME to find npm and node). */
function runSubgraph(name: string, env: Record<string, string>): Started {
  const npm = spawn('npm', ['run', '-s', 'subgraph', '--', name], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
  const url = new Promise<string | undefined>((resolve) => {
    createInterface({ input: npm.stdout! }).on('line', (line) => {
      output.push(line);
      const ready = /^READY (.*)$/.exec(line);
      if (ready) resolve((JSON.parse(ready[1]!) as { url: string }).url);
    });
    createInterface({ input: npm.stderr! }).on('line', (line) => output.push(line));
    void exited.then(() => resolve(undefined));
  });
  return { npm, output, exited, url };
}

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startVehicleEmulator(population);
});
afterAll(() => emulator.close());

describe('npm run subgraph -- vehicle', () => {
  it('serves the vehicle subgraph from its environment alone, signed requests only, and stops gracefully on SIGTERM', async () => {
    const started = runSubgraph('vehicle', { SUBGRAPH_SECRET: TEST_SUBGRAPH_SECRET, VEHICLE_URL: emulator.url, PORT: '0' });
    try {
      const url = await started.url;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);

      const answer = await postSigned(url!, VEHICLES);
      expect(answer.errors).toBeUndefined();
      const expected = population.vehicles.filter((v) => v.owner.kind === 'PERSON' && v.owner.idNumber === richDebtor.idNumber).map((v) => v.vin);
      expect(expected.length).toBeGreaterThan(0);
      expect(answer.data!._entities[0].vehicles.map((v: { vin: string }) => v.vin).sort()).toEqual([...expected].sort());
      expect(emulator.calls.length).toBeGreaterThan(0);

      const unsigned = await postGraphQL(url!, VEHICLES);
      expect(unsigned.status).toBe(401);

      // A request in flight when the signal arrives is still answered: the agency is slow.
      emulator.resetCalls();
      emulator.setFaults({ extraLatencyMs: 1500 });
      const slow = postSigned(url!, VEHICLES);
      while (emulator.calls.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      started.npm.kill('SIGTERM');
      const late = await slow;
      expect(late.status).toBe(200);
      expect(late.errors).toBeUndefined();
      expect(await started.exited).toBe(0);
      expect(started.output).toContain('SIGTERM: the vehicle subgraph takes no new connections and finishes the requests in flight; then its agency connections close (SIGTERM again after a second, or another signal, exits at once).');
    } finally {
      emulator.setFaults({ mode: 'none', extraLatencyMs: 0 });
      started.npm.kill('SIGKILL');
    }
  });

  it('refuses to start on a bad configuration, naming every bad variable', async () => {
    const started = runSubgraph('vehicle', { SUBGRAPH_SECRET: 'too short', VEHICLE_URL: 'ftp://registry', AGENCY_RETRIES: '-1' });
    expect(await started.url).toBeUndefined();
    expect(await started.exited).toBe(2);
    const said = started.output.join('\n');
    expect(said).toContain('Invalid configuration of the vehicle subgraph:');
    expect(said).toContain('SUBGRAPH_SECRET must be at least 32 characters long');
    expect(said).toContain('VEHICLE_URL must be an http:// or https:// URL, got "ftp://registry"');
    expect(said).toContain('AGENCY_RETRIES must be an integer of at least 0, got -1');
    expect(said).not.toContain('too short');
  });

  it('names the subgraphs it knows when asked for another', async () => {
    const started = runSubgraph('library', { SUBGRAPH_SECRET: TEST_SUBGRAPH_SECRET });
    expect(await started.exited).toBe(2);
    expect(started.output.join('\n')).toMatch(/No subgraph "library"[\s\S]*vehicle +VEHICLE_URL/);
  });
});
