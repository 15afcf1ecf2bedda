/**
 * docker-compose.yml, the province (issue 15), checked without a Docker engine: parsed, and held
 * to the code's configuration schemas (test/support/composeCheck.ts): every service's command an
 * entry of the project, every variable one its entry reads, every required one set, every URL a
 * service and port of the file that it waits for, the gateways exactly HAProxy's backends,
 * health checks, secrets only as files. Each rule is shown to fail on a fixture. The Dockerfile:
 * multi-stage from the lock file, a non-root runtime.
 * (The yaml parser is `yaml`, in node_modules through @graphql-codegen/cli.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { type ComposeFile, composeProblems, dockerfileProblems } from '../support/composeCheck';
import { REPO_ROOT } from '../support/repoRoot';

const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');
const composeText = read('docker-compose.yml');
const haproxyConfig = read('deploy/haproxy.cfg');
const compose = () => parse(composeText, { merge: true }) as ComposeFile;

/** A copy of the file with one change, to show a rule fails. */
function fixture(change: (c: ComposeFile) => void): string[] {
  const c = compose();
  change(c);
  return composeProblems(c, haproxyConfig);
}

describe('docker-compose.yml', () => {
  it('runs the province: emulators, subgraphs, two gateways behind HAProxy, PostgreSQL and Redis', () => {
    const names = Object.keys(compose().services);
    expect(names).toEqual(expect.arrayContaining(['postgres', 'redis', 'haproxy', 'gateway-1', 'gateway-2', 'emulator-court', 'emulator-bank-ncb', 'subgraph-audit']));
    expect(names.filter((n) => n.startsWith('emulator-'))).toHaveLength(9);
    expect(names.filter((n) => n.startsWith('subgraph-'))).toHaveLength(7);
  });

  it('agrees with the code: no problem found', () => {
    expect(composeProblems(compose(), haproxyConfig)).toEqual([]);
  });

  it('keeps `docker compose up postgres redis` a developer\'s stores: no profile, their ports published', () => {
    const { postgres, redis } = compose().services as Record<string, { profiles?: string[]; ports?: string[] }>;
    expect([postgres?.profiles, postgres?.ports, redis?.profiles, redis?.ports]).toEqual([undefined, ['5432:5432'], undefined, ['6379:6379']]);
  });

  it('fails a variable its entry does not read', () => {
    expect(fixture((c) => (c.services['subgraph-vehicle']!.environment!.VEHICLE_ULR = 'http://emulator-vehicle:5106'))).toEqual([
      'subgraph-vehicle: sets VEHICLE_ULR, which the subgraph vehicle does not read',
    ]);
    expect(fixture((c) => (c.services['gateway-1']!.environment!.POPULATION_SEED = '7'))).toEqual(['gateway-1: sets POPULATION_SEED, which the gateway does not read']);
  });

  it('fails a required variable left out', () => {
    expect(fixture((c) => delete c.services['subgraph-vehicle']!.environment!.VEHICLE_URL)).toEqual([
      expect.stringMatching(/^subgraph-vehicle: its configuration is refused: .*VEHICLE_URL is required/),
    ]);
    expect(fixture((c) => delete c.services['gateway-2']!.environment!.TOKEN_ISSUER)).toEqual([expect.stringMatching(/^gateway-2: its configuration is refused: .*TOKEN_ISSUER/)]);
    expect(fixture((c) => delete c.services['emulator-bank-web']!.environment!.COURT_URL)).toEqual([expect.stringMatching(/^emulator-bank-web: its configuration is refused: .*COURT_URL is required/)]);
  });

  it('fails a command that names no entry', () => {
    // (Its port then unknown, the URLs to it are reported too.)
    expect(fixture((c) => (c.services['subgraph-court']!.command = ['node', '--import', 'tsx', 'bin/subgraph.ts', 'courts']))).toContain('subgraph-court: no subgraph courts');
    expect(fixture((c) => (c.services['emulator-court']!.command = ['node', '--import', 'tsx', 'bin/emulators.ts', 'court']))).toContain(
      'emulator-court: command names no entry of the project: bin/emulators.ts',
    );
  });

  it('fails a URL to no service, to a wrong port, or to a service it does not wait for', () => {
    expect(fixture((c) => (c.services['subgraph-commerce']!.environment!.COMMERCE_URL = 'http://emulator-comerce:5107'))).toEqual([
      'subgraph-commerce: COMMERCE_URL points at emulator-comerce, no service of the file',
    ]);
    expect(fixture((c) => (c.services['gateway-1']!.environment!.SUBGRAPH_URL_BANK = 'http://subgraph-bank:4003/graphql'))).toEqual([
      'gateway-1: SUBGRAPH_URL_BANK points at port 4003 of subgraph-bank, which listens on 4002',
    ]);
    expect(fixture((c) => delete c.services['subgraph-realestate']!.depends_on!['emulator-realestate'])).toEqual([
      'subgraph-realestate: calls emulator-realestate but does not wait for it (depends_on condition: service_healthy)',
    ]);
    expect(fixture((c) => delete c.services['gateway-2']!.depends_on!.redis)).toEqual(['gateway-2: calls redis but does not wait for it (depends_on condition: service_healthy)']);
  });

  it('fails HAProxy backends that are not exactly the gateways', () => {
    expect(fixture((c) => (c.services.haproxy!.environment!.GATEWAY_2 = 'gateway-1:4000'))).toEqual(['haproxy: gateway gateway-2 is behind no backend']);
    expect(fixture((c) => (c.services.haproxy!.environment!.GATEWAY_1 = 'gateway-1:4001'))).toEqual(['haproxy: backend gateway-1 points at port 4001 of gateway-1, which listens on 4000']);
  });

  it('fails a missing health check and a secret literal', () => {
    expect(fixture((c) => delete c.services['subgraph-audit']!.healthcheck)).toEqual(['subgraph-audit: no health check on its own /healthz or /readyz']);
    expect(
      fixture((c) => {
        delete c.services['gateway-1']!.environment!.SUBGRAPH_SECRET_FILE;
        c.services['gateway-1']!.environment!.SUBGRAPH_SECRET = 'Zm9vYmFyYmF6cXV1eGNvcmdlZ3JhdWx0Z2FycGx5';
      }),
    ).toEqual(['gateway-1: SUBGRAPH_SECRET is a secret: give it as SUBGRAPH_SECRET_FILE', 'gateway-1: SUBGRAPH_SECRET looks like a secret literal']);
    expect(fixture((c) => (c.services['emulator-vehicle']!.environment!.EMULATOR_TABLE_PREFIX = 'postgres://cag:hunter2@postgres/x'))).toEqual([
      expect.stringMatching(/^emulator-vehicle: its configuration is refused: .*EMULATOR_TABLE_PREFIX/),
      'emulator-vehicle: EMULATOR_TABLE_PREFIX holds a password in its URL',
    ]);
  });
});

describe('Dockerfile', () => {
  it('builds one multi-stage image from the lock file, run as node', () => {
    expect(dockerfileProblems(read('Dockerfile'))).toEqual([]);
  });

  it('fails a root runtime or a single stage', () => {
    expect(dockerfileProblems(read('Dockerfile').replace(/^USER node$/m, ''))).toEqual(['the runtime stage does not run as USER node']);
    const single = read('Dockerfile').replace(/^FROM node:20-bookworm-slim AS deps$/m, '# no deps stage');
    expect(dockerfileProblems(single)).toContain('not multi-stage');
  });
});
