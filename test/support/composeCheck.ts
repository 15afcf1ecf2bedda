/**
 * What test/composition/dockerCompose.test.ts holds docker-compose.yml to, as a function of the
 * parsed file, so each rule can be shown to fail on a fixture: the problems found, one line each.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointEnvSchema } from '../../gateway/audit/checkpointConfig';
import { authEnvSchema } from '../../gateway/auth/authConfig';
import { gatewayEnvSchema, loadGatewayConfig, subgraphUrlVariable } from '../../gateway/config';
import { SECRET_SETTINGS, secretFileVariable, secretsAmong } from '../../lib/config/secretFiles';
import { DEFAULT_SUBGRAPH_PORTS, SUBGRAPH_NAMES, type SubgraphName } from '../../schemas/subgraphs';
import { SUBGRAPHS } from '../../stack/agencies';
import { EMULATOR_NAMES } from '../../stack/emulatorAlone';
import { EMULATOR_ENV, loadEmulatorConfig } from '../../stack/emulatorConfig';
import { auditSubgraphConfig } from '../../subgraphs/audit/config';
import { bankSubgraphConfig } from '../../subgraphs/bank/config';
import { commerceSubgraphConfig } from '../../subgraphs/commerce/config';
import { courtSubgraphConfig } from '../../subgraphs/court/config';
import { realEstateSubgraphConfig } from '../../subgraphs/realestate/config';
import { SUBGRAPH_ENV } from '../../subgraphs/shared/subgraphConfig';
import { socialInsuranceSubgraphConfig } from '../../subgraphs/social-insurance/config';
import { vehicleSubgraphConfig } from '../../subgraphs/vehicle/config';
import { REPO_ROOT } from './repoRoot';

export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition?: string }>;
  healthcheck?: { test?: string[] };
  secrets?: string[];
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  secrets?: Record<string, { file?: string; environment?: string }>;
}

const GATEWAY_PORT_DEFAULT = 4000;

/** Each subgraph's own loader, as bin/subgraph.ts runs it (through stack/agencies.ts). */
const SUBGRAPH_CONFIGS: Record<SubgraphName, (env: NodeJS.ProcessEnv) => unknown> = {
  court: courtSubgraphConfig,
  bank: bankSubgraphConfig,
  realestate: realEstateSubgraphConfig,
  vehicle: vehicleSubgraphConfig,
  commerce: commerceSubgraphConfig,
  'social-insurance': socialInsuranceSubgraphConfig,
  audit: auditSubgraphConfig,
};
const ENTRY = /^bin\/(gateway|subgraph|emulator)\.ts$/;

/** What an entry reads: its schemas' keys, and `<NAME>_FILE` of each secret among them. */
function withSecretFiles(names: string[]): Set<string> {
  return new Set([...names, ...secretsAmong(names).map(secretFileVariable)]);
}

type Entry = { kind: 'gateway' } | { kind: 'subgraph'; name: SubgraphName } | { kind: 'emulator'; name: string };

function entryOf(service: ComposeService): Entry | string {
  const command = service.command ?? [];
  if (command[0] !== 'node' || command[1] !== '--import' || command[2] !== 'tsx') return `command ${JSON.stringify(command)} is not node --import tsx <entry>`;
  const entry = command[3] ?? '';
  const m = ENTRY.exec(entry);
  if (!m || !existsSync(join(REPO_ROOT, entry))) return `command names no entry of the project: ${entry}`;
  const arg = command[4];
  if (m[1] === 'gateway') return command.length === 4 ? { kind: 'gateway' } : 'bin/gateway.ts takes no argument';
  if (m[1] === 'subgraph') return (SUBGRAPH_NAMES as readonly string[]).includes(arg ?? '') && command.length === 5 ? { kind: 'subgraph', name: arg as SubgraphName } : `no subgraph ${arg}`;
  return EMULATOR_NAMES.includes(arg ?? '') && command.length === 5 ? { kind: 'emulator', name: arg! } : `no emulator ${arg}`;
}

function readBy(entry: Entry): Set<string> {
  if (entry.kind === 'gateway') {
    return withSecretFiles([...[gatewayEnvSchema, authEnvSchema, checkpointEnvSchema].flatMap((s) => Object.keys(s.shape)), ...SUBGRAPH_NAMES.map(subgraphUrlVariable)]);
  }
  if (entry.kind === 'subgraph') return withSecretFiles([...Object.keys(SUBGRAPH_ENV), ...SUBGRAPHS[entry.name].variables]);
  return withSecretFiles(Object.keys(EMULATOR_ENV));
}

function portOf(entry: Entry, env: Record<string, string>): number {
  if (env.PORT !== undefined) return Number(env.PORT);
  return entry.kind === 'gateway' ? GATEWAY_PORT_DEFAULT : entry.kind === 'subgraph' ? DEFAULT_SUBGRAPH_PORTS[entry.name] : 0;
}

/** Stand-ins for the secret files, so the loaders can run over the service's environment. */
function stubSecrets(env: Record<string, string>): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'cag-compose-secrets-'));
  const stub: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const secret = SECRET_SETTINGS.find((s) => secretFileVariable(s) === name);
    if (secret === undefined) {
      stub[name] = value;
      continue;
    }
    const path = join(dir, secret);
    writeFileSync(path, secret.endsWith('_URL') ? `${secret === 'REDIS_URL' ? 'redis' : 'postgres'}://stub:6379/x` : 'a-stand-in-secret-of-at-least-32-characters');
    stub[name] = path;
  }
  return stub;
}

/** Whether the entry's own loader accepts the environment (every required variable set, values valid). */
function loaderProblem(entry: Entry, env: Record<string, string>): string | undefined {
  const stubbed = stubSecrets(env);
  try {
    if (entry.kind === 'gateway') loadGatewayConfig(stubbed);
    else if (entry.kind === 'emulator') loadEmulatorConfig(entry.name, stubbed);
    else SUBGRAPH_CONFIGS[entry.name](stubbed);
  } catch (error) {
    return (error as Error).message;
  }
  return undefined;
}

/** Every problem of the compose file (and the HAProxy configuration it mounts), one line each. */
export function composeProblems(compose: ComposeFile, haproxyConfig: string): string[] {
  const problems: string[] = [];
  const services = compose.services;
  const entries = new Map<string, Entry>();
  const ports = new Map<string, number>([
    ['postgres', 5432],
    ['redis', 6379],
  ]);
  for (const [name, service] of Object.entries(services)) {
    if (service.image !== 'court-asset-graph:local') continue;
    const entry = entryOf(service);
    if (typeof entry === 'string') {
      problems.push(`${name}: ${entry}`);
      continue;
    }
    entries.set(name, entry);
    ports.set(name, portOf(entry, service.environment ?? {}));
  }

  for (const [name, entry] of entries) {
    const service = services[name]!;
    const env = service.environment ?? {};
    const read = readBy(entry);
    for (const variable of Object.keys(env)) if (!read.has(variable)) problems.push(`${name}: sets ${variable}, which ${entry.kind === 'gateway' ? 'the gateway' : `the ${entry.kind} ${entry.name}`} does not read`);
    for (const secret of SECRET_SETTINGS) if (env[secret] !== undefined) problems.push(`${name}: ${secret} is a secret: give it as ${secretFileVariable(secret)}`);
    const loader = loaderProblem(entry, env);
    if (loader !== undefined) problems.push(`${name}: its configuration is refused: ${loader}`);
    if (entry.kind !== 'emulator' && env.NODE_ENV !== 'production') problems.push(`${name}: NODE_ENV is not production`);
    if (env.HOST !== '0.0.0.0') problems.push(`${name}: HOST is not 0.0.0.0: nothing outside its container could reach it`);

    // Every URL names a service of the file on the port it listens on, and it waits for it.
    const needs = new Set<string>();
    for (const [variable, value] of Object.entries(env)) {
      // The issuer's name is an identifier the tokens carry, not an address the service calls.
      if (!/^https?:\/\//.test(value) || variable === 'TOKEN_ISSUER') continue;
      const url = new URL(value);
      const target = url.hostname;
      if (!(target in services)) {
        problems.push(`${name}: ${variable} points at ${target}, no service of the file`);
        continue;
      }
      if (Number(url.port || 80) !== ports.get(target)) problems.push(`${name}: ${variable} points at port ${url.port} of ${target}, which listens on ${ports.get(target)}`);
      needs.add(target);
    }
    if (env.DATABASE_URL_FILE !== undefined) needs.add('postgres');
    if (env.REDIS_URL_FILE !== undefined) needs.add('redis');
    for (const target of needs) {
      if (service.depends_on?.[target]?.condition !== 'service_healthy') problems.push(`${name}: calls ${target} but does not wait for it (depends_on condition: service_healthy)`);
    }

    // Secrets: mounted as the files the variables name.
    for (const [variable, value] of Object.entries(env)) {
      if (!variable.endsWith('_FILE') && variable !== 'JWKS_PATH') continue;
      const m = /^\/run\/secrets\/([a-z_]+)$/.exec(value);
      if (!m) continue;
      if (!service.secrets?.includes(m[1]!)) problems.push(`${name}: ${variable} reads secret ${m[1]} it is not given`);
      if (compose.secrets?.[m[1]!]?.file === undefined) problems.push(`${name}: secret ${m[1]} is not a file of the top-level secrets`);
    }

    // A health check on the server's own health endpoint and port.
    const check = (service.healthcheck?.test ?? []).join(' ');
    const path = entry.kind === 'emulator' ? '/__health' : '/(?:healthz|readyz)';
    if (!new RegExp(`http://127\\.0\\.0\\.1:${ports.get(name)}${path}$`).test(check)) problems.push(`${name}: no health check on its own ${entry.kind === 'emulator' ? '/__health' : '/healthz or /readyz'}`);
  }

  // The load balancer's backends are exactly the gateways, on their ports.
  const gateways = [...entries].filter(([, e]) => e.kind === 'gateway').map(([n]) => n);
  if (gateways.length < 2) problems.push(`${gateways.length} gateway replica(s): the province runs two behind the load balancer`);
  const haproxy = services.haproxy;
  const backends = [...haproxyConfig.matchAll(/^\s*server\s+(\S+)\s+"\$\{([A-Z0-9_]+)\}"/gm)].map((m) => ({ server: m[1]!, variable: m[2]! }));
  const targets = backends.map(({ variable }) => haproxy?.environment?.[variable]);
  for (const [i, target] of targets.entries()) {
    const [host, port] = (target ?? '').split(':');
    if (!gateways.includes(host!)) problems.push(`haproxy: backend ${backends[i]!.server} (${backends[i]!.variable}=${target}) is no gateway service`);
    else if (Number(port) !== ports.get(host!)) problems.push(`haproxy: backend ${backends[i]!.server} points at port ${port} of ${host}, which listens on ${ports.get(host!)}`);
    if (host && haproxy?.depends_on?.[host]?.condition !== 'service_healthy') problems.push(`haproxy: does not wait for ${host}`);
  }
  for (const g of gateways) if (!targets.some((t) => t?.split(':')[0] === g)) problems.push(`haproxy: gateway ${g} is behind no backend`);
  if (!/option httpchk GET \/readyz/.test(haproxyConfig)) problems.push('haproxy: does not check the gateways\' /readyz');

  // No secret literal anywhere: no long random-looking value, no URL with a password.
  for (const [name, service] of Object.entries(services)) {
    for (const [variable, value] of Object.entries(service.environment ?? {})) {
      if (/:\/\/[^/@\s]+:[^/@\s]+@/.test(value)) problems.push(`${name}: ${variable} holds a password in its URL`);
      if (/^[A-Za-z0-9_+/=-]{32,}$/.test(value)) problems.push(`${name}: ${variable} looks like a secret literal`);
    }
  }
  return problems;
}

/** The Dockerfile's problems: multi-stage, npm ci, a non-root runtime. */
export function dockerfileProblems(dockerfile: string): string[] {
  const problems: string[] = [];
  const stages = dockerfile.split('\n').filter((line) => /^FROM\s/i.test(line));
  if (stages.length < 2) problems.push('not multi-stage');
  if (!/npm ci\b/.test(dockerfile)) problems.push('dependencies not from the lock file (npm ci)');
  const last = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  if (!/^USER node$/m.test(last)) problems.push('the runtime stage does not run as USER node');
  if (!/COPY --from=/.test(last)) problems.push('the runtime stage copies nothing from the build stage');
  for (const folder of ['bin', 'gateway', 'lib', 'mocks', 'schemas', 'stack', 'subgraphs']) {
    if (!new RegExp(`^COPY ${folder} `, 'm').test(last)) problems.push(`the runtime stage lacks ${folder}/`);
  }
  return problems;
}
