/**
 * `npm start`: the whole system on one laptop — agency emulators seeded with a synthetic
 * province, the six agency subgraphs and the audit subgraph, and the gateway with its explorer.
 *
 *   npm start -- --persons 100000 --seed 7 --latency 20 --answer-delay 2000
 *
 * --answer-delay: how long agencies take to answer a control request (ms), so the SUBMITTED
 * state is visible before ACTIVE / WAITING / RETURNED (real banks: within 24 hours).
 * --port: the gateway's port (overrides PORT; 0 picks a free one).
 * --ephemeral-ports: the gateway (unless --port) and the subgraphs on free ports instead of
 * PORT and the subgraphs' ports in the supergraph (schemas/subgraphs.ts; several stacks on one
 * host, tests); the emulators always are.
 *
 * Once up it prints one machine-readable line, `READY {"gateway":"<url>","emulators":{...}}`.
 * SIGTERM or SIGINT stops it gracefully: the gateway stops accepting connections and finishes
 * the requests in flight, then subgraphs, emulators and the database stop, and the process
 * exits 0. The same signal again within a second is the same stop (a signal to the process
 * group arrives here twice: from the kernel and forwarded by npm; see stopSignals.ts); another
 * signal after that, or a stop taking longer than 30 s, exits at once with 1. `npm start`
 * execs node (package.json), so no shell sits between npm and this process: npm forwards a
 * signal sent to it alone, and waits for this process to exit.
 */
import { parseArgs } from 'node:util';
import { issueDevToken } from '../gateway/auth/devIssuer';
import { loadGatewayConfig } from '../gateway/config';
import { explorerEnabled } from '../gateway/explorer/serveExplorer';
import { explorerTabs } from '../gateway/explorer/explorerTabs';
import { EXAMPLE_OPERATIONS } from '../examples/exampleOperations';
import { createPopulation, DEFAULT_PERSONS, DEFAULT_SEED } from '../mocks/population';
import { caseVariables, COURT_OPERATIONS, DOSSIER, SEAL_REAL_ESTATE, sealVariables } from '../schemas/courtOperations';
import { SUBGRAPH_NAMES } from '../schemas/subgraphs';
import { AGENCIES } from '../stack/agencies';
import { type Stack, startStack } from '../stack/startStack';
import { stopGracefullyOnSignals } from './gracefulStop';

const { values } = parseArgs({
  options: {
    persons: { type: 'string', default: String(DEFAULT_PERSONS) },
    seed: { type: 'string', default: String(DEFAULT_SEED) },
    latency: { type: 'string' },
    'answer-delay': { type: 'string', default: '2000' },
    port: { type: 'string' },
    'ephemeral-ports': { type: 'boolean', default: false },
  },
});

/**
 * One line per subgraph, in the registry's order (stack/agencies.ts): where it listens, then
 * the emulators of its agency's systems, one per line.
 */
function subgraphLines(stack: Stack): string {
  const indent = ' '.repeat(4 + 18 + 32);
  return SUBGRAPH_NAMES.map((name) => {
    const systems =
      name === 'audit'
        ? ['(the audit log; asks the agencies above whether measures took effect)']
        : Object.keys(AGENCIES[name].emulators).map((emulator) => `${emulator} ${stack.emulators[emulator]!.url}`);
    return `    ${name.padEnd(18)}${stack.subgraphs[name].url.padEnd(32)}${systems.join(`\n${indent}`)}`;
  }).join('\n');
}

function positiveInt(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) {
    console.error(`--${name} must be a non-negative integer, got ${raw}`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  const config = loadGatewayConfig();
  const started = Date.now();
  // The population first: the explorer opens with the token and case printed below.
  const pop = createPopulation({ persons: positiveInt('persons', values.persons), seed: positiveInt('seed', values.seed) });
  const rich = pop.scenarios.richDebtor;
  const richCase = pop.cases.find((c) => c.caseNumber === rich.caseNumber)!;
  const token = config.production
    ? '<a token from your court\'s issuer>'
    : await issueDevToken({ kind: 'court', court: richCase.courtCode, officer: richCase.officer, roles: ['query', 'control'] });
  const sealUnit = pop.realEstate.find((u) => u.owners.some((o) => o.party.kind === 'PERSON' && o.party.idNumber === rich.idNumber))!;
  const sealInput = { requestId: 'seal-1', unitNumber: sealUnit.unitNumber, documentNumber: `${rich.caseNumber}之一`, termDays: 1095 };
  const account = pop.bankAccounts.find((a) => a.holder.kind === 'PERSON' && a.holder.idNumber === rich.idNumber);
  const stack = await startStack({
    population: pop,
    agencyLatencyMs: positiveInt('latency', values.latency),
    agencyAnswerDelayMs: positiveInt('answer-delay', values['answer-delay']),
    port: positiveInt('port', values.port) ?? (values['ephemeral-ports'] ? 0 : config.port),
    defaultSubgraphPorts: !values['ephemeral-ports'],
    production: config.production,
    subgraphSecret: config.subgraphSecret,
    auth: config.auth,
    auditDatabaseUrl: config.auditDatabaseUrl,
    auditCheckpoints: config.auditCheckpoints,
    databaseTimeouts: config.databaseTimeouts,
    redisUrl: config.redisUrl,
    readinessToken: config.readinessToken,
    logLevel: config.logLevel,
    plannerChecks: config.plannerChecks,
    // In production only the manifest's documents run; a new supergraph file is taken without a restart.
    trustedDocuments: config.trustedDocuments,
    supergraphPollIntervalMs: config.supergraphPollIntervalMs,
    caseLookupTimeoutMs: config.caseLookupTimeoutMs,
    // Traces when OTEL_EXPORTER_OTLP_ENDPOINT is set; the stack flushes them as it stops.
    tracing: config.tracing,
    // One tab per documented and example operation, its variables from this seeded world (by type).
    explorer: {
      ...config.explorer,
      tabs: explorerTabs([...COURT_OPERATIONS, ...Object.values(EXAMPLE_OPERATIONS).flat()], {
        CaseNumber: rich.caseNumber,
        IdNumber: rich.idNumber,
        SealRealEstateInput: sealInput,
        ...(account
          ? { FreezeDepositInput: { requestId: 'freeze-1', bankCode: account.bankCode, accountNumber: account.accountNumber, documentNumber: `${rich.caseNumber}之一`, termDays: 365, amount: '10000.00' } }
          : {}),
        ReleaseMeasureInput: { measureId: '<the freeze id Freeze answered>', documentNumber: `${rich.caseNumber}之二` },
        DeductFrozenDepositInput: { requestId: 'deduct-1', measureId: '<the freeze id Freeze answered>', amount: '5000.00' },
      }),
      ...(config.production ? {} : { headers: { authorization: `Bearer ${token}`, 'x-case-number': encodeURIComponent(rich.caseNumber) } }),
    },
  });
  const url = stack.gateway.url.replace('127.0.0.1', 'localhost');
  const contested = pop.scenarios.contestedHouse;
  // The documented texts as they are, values only in the variables: the gateway warmed their
  // query plans at start-up, and a plan is found by the exact text.
  const dossierVariablesJson = JSON.stringify(caseVariables(rich.caseNumber));
  const sealVariablesJson = JSON.stringify(sealVariables(sealInput));
  const explorerUrl = explorerEnabled(config.explorer, config.production) ? url.replace(/\/graphql$/, '/') : 'off (EXPLORER=on turns it on)';

  console.log(`
Court Asset Graph is up in ${((Date.now() - started) / 1000).toFixed(1)} s: ${pop.persons.length} persons, ${pop.companies.length} companies, ${pop.cases.length} cases (seed ${pop.seed}).

  Gateway                   ${url}
  Explorer (GraphiQL)       ${explorerUrl}
  Subgraphs, each with the emulated systems of its agency (npm run subgraph -- <name> runs one alone):
${subgraphLines(stack)}

Every request carries a court officer's token and states its case. The explorer opens with a
tab per operation below, its variables and these two headers filled in; elsewhere add them
yourself (a development token with the roles query and control for the officer of case ${rich.caseNumber}):

  Authorization: Bearer ${token}
  x-case-number: ${encodeURIComponent(rich.caseNumber)}

(More tokens: npm run -s token -- --court 浙0106 --officer 浙0106-007 --role query;
 a citizen asking who looked at them: npm run -s token -- --citizen ${pop.scenarios.closedCase.debtorIdNumber}, then { accessLog { at court officer caseNumber fields outcome } })
Then paste this operation, and its variables under Variables: the case, its debtors, and
what they own in every agency.

${DOSSIER}

${dossierVariablesJson}

Then act on what you found: seal the debtor's flat (the registry answers after ${values['answer-delay']} ms:
SUBMITTED now, ACTIVE when you ask again; other courts' seals on it show as priorMeasures).

${SEAL_REAL_ESTATE}

${sealVariablesJson}

A house three cases want (two courts; seals queue): unit ${contested.unitNumber}, cases ${contested.caseNumbers.join(', ')}.

Or from a shell:
  curl -s ${url} -H 'content-type: application/json' \\
    -H 'authorization: Bearer ${token}' -H 'x-case-number: ${encodeURIComponent(rich.caseNumber)}' \\
    -d '{"query":"{ person(idNumber: \\"${rich.idNumber}\\") { name vehicles { plateNumber status } } }"}'

Other seeded situations: a debtor with nothing ${pop.scenarios.debtorWithNothing.caseNumber}, a debtor in two courts ${pop.scenarios.debtorInTwoCourts.caseNumbers.join(' and ')}, a closed case ${pop.scenarios.closedCase.caseNumber}.
Ctrl-C stops everything.
`);

  console.log(`READY ${JSON.stringify({ gateway: stack.gateway.url, emulators: Object.fromEntries(Object.entries(stack.emulators).map(([n, e]) => [n, e.url])) })}`);

  stopGracefullyOnSignals({
    httpServer: stack.gateway.httpServer,
    stop: () => stack.stop(),
    draining: (signal) =>
      `${signal}: the gateway takes no new connections and finishes the requests in flight; then subgraphs, emulators and the database stop (${signal} again after a second, or another signal, exits at once).`,
  });
}

main().catch((error: unknown) => {
  console.error(`npm start failed: ${(error as Error).message}`);
  process.exit(1);
});
