/**
 * The architecture's shape, checked by `npm run lint:deps` (part of `npm test`).
 * The redesign's "lint" line (2.1): the three peers (gateway, subgraphs, agency emulators in
 * mocks/) meet only over HTTP; lib/ and schemas/ are the floor everything stands on; nothing that
 * ships imports the harnesses (test/, bench/, bin/, stack/, examples/).
 *
 * Paths in the rules are relative to the folder depcruise runs in (the repo root), so `^lib/`
 * is the top-level lib/ and never bench/lib/.
 *
 * Type-only imports count everywhere (tsPreCompilationDeps: true): `import type` is erased at
 * run time, but it still ties the two modules together at build time, and a type that one
 * peer borrows from another is the coupling these rules exist to stop.
 */

/** Folders that run only in development, tests or benchmarks; production code must not reach them. */
const HARNESSES = '^(test|bench|bin|stack|examples)/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'An import cycle means neither module can be understood, tested or moved without the other, ' +
        'and in CommonJS one side sees the other half-initialised. Type-only imports are included on ' +
        'purpose: a type-only cycle still ties the two modules together. Break it by moving the shared ' +
        'type or code into the module both depend on.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'subgraphs-not-to-gateway',
      severity: 'error',
      comment:
        'The subgraphs are peers of the gateway and meet it over HTTP only. What both need belongs ' +
        'in lib/ (code) or schemas/ (contract), e.g. the audit store in lib/audit/.',
      from: { path: '^subgraphs/' },
      to: { path: '^gateway/' },
    },
    {
      name: 'gateway-not-to-subgraphs',
      severity: 'error',
      comment:
        'The gateway is a peer of the subgraphs and reaches them over HTTP only; it knows them by ' +
        'their SDL in schemas/, never by their code.',
      from: { path: '^gateway/' },
      to: { path: '^subgraphs/' },
    },
    {
      name: 'mocks-not-to-gateway-or-subgraphs',
      severity: 'error',
      comment:
        'The agency emulators stand in for outside agencies: they meet the gateway and subgraphs over ' +
        'HTTP only, exactly like the real agencies. Shared code goes in lib/, shared contract in schemas/.',
      from: { path: '^mocks/' },
      to: { path: '^(gateway|subgraphs)/' },
    },
    {
      name: 'workers-meet-the-gateway-over-http',
      severity: 'error',
      comment:
        'The sweep workers are court clients: they search through the gateway over HTTP with a ' +
        'court credential, so every search is authorized and audited like an officer\'s. They may ' +
        'import lib/ (the job queue, the sweep store) and schemas/ (the operations), never the ' +
        'gateway, the subgraphs or the emulators.',
      from: { path: '^workers/' },
      to: { path: '^(gateway|subgraphs|mocks)/' },
    },
    {
      name: 'production-not-to-mocks-or-harnesses',
      severity: 'error',
      comment:
        'gateway/, subgraphs/, workers/, lib/ and schemas/ ship to production; the agency emulators (mocks/), ' +
        'tests, benchmarks, CLIs and the dev stack do not. Production code importing them drags test ' +
        'and emulator code into the deployed process.',
      from: { path: '^(gateway|subgraphs|lib|schemas|workers)/' },
      to: { path: ['^mocks/', HARNESSES] },
    },
    {
      name: 'mocks-not-to-harnesses',
      severity: 'error',
      comment:
        'The emulators are started by the stack, tests and benchmarks, never the other way round; ' +
        'an emulator importing test/, bench/, bin/ or stack/ would be a cycle in the making.',
      from: { path: '^mocks/' },
      to: { path: HARNESSES },
    },
    {
      name: 'lib-imports-only-lib',
      severity: 'error',
      comment:
        'lib/ is the floor: code shared by gateway, subgraphs and emulators. It may import lib/, ' +
        'npm packages and Node built-ins, nothing above it (not even schemas/, which it does not ' +
        'import today), or every peer would inherit whatever lib/ pulled in.',
      from: { path: '^lib/' },
      to: {
        pathNot: ['^lib/', '(^|/)node_modules/'],
        dependencyTypesNot: ['core'],
        couldNotResolve: false,
      },
    },
    {
      name: 'schemas-imports-only-schemas-or-lib',
      severity: 'error',
      comment:
        'schemas/ is the contract (SDL, scalars, identifier checks, composition) every peer shares. ' +
        'It may import schemas/, lib/ (the floor below it), npm packages and Node built-ins, ' +
        'nothing above it. Today it imports only schemas/ and npm packages.',
      from: { path: '^schemas/' },
      to: {
        pathNot: ['^(schemas|lib)/', '(^|/)node_modules/'],
        dependencyTypesNot: ['core'],
        couldNotResolve: false,
      },
    },
    {
      name: 'generated-imports-only-context-and-types',
      severity: 'error',
      comment:
        'subgraphs/<name>/generated/ is written by npm run codegen (codegen.ts) from the SDL. It may ' +
        'import only its own subgraph\'s context.ts and types.ts (the contextType and mappers), npm ' +
        'packages and Node built-ins: a mapper pointing anywhere else reaches past the subgraph\'s ' +
        'vocabulary and, since resolvers import the generated file, risks a cycle. Re-export the ' +
        'type from types.ts instead.',
      from: { path: '^subgraphs/([^/]+)/generated/' },
      to: {
        pathNot: ['^subgraphs/$1/(context|types)\\.ts$', '(^|/)node_modules/'],
        dependencyTypesNot: ['core'],
        couldNotResolve: false,
      },
    },
    {
      name: 'shipped-not-to-dev-dependencies',
      severity: 'error',
      comment:
        'The image (Dockerfile) copies bin/ gateway/ lib/ mocks/ schemas/ stack/ subgraphs/ workers/ and installs ' +
        'only the production dependencies (npm ci --omit=dev): a development dependency imported there ' +
        'works on a laptop and fails in the province. Declare the package under dependencies.',
      from: { path: '^(bin|gateway|lib|mocks|schemas|stack|subgraphs|workers)/' },
      to: { dependencyTypes: ['npm-dev'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment:
        'An import the linter cannot resolve is an import no rule above can check; it usually means ' +
        'a moved file or a missing package. (tsc reports it too; this keeps the lint honest on its own.)',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Resolve as TypeScript does, through the project's tsconfig.json.
    tsConfig: { fileName: 'tsconfig.json' },
    // Keep `import type` and type-only re-exports in the graph (see the header).
    tsPreCompilationDeps: true,
    // Stop at the package boundary: npm packages are leaves, their own imports are not ours.
    doNotFollow: { path: '(^|/)node_modules/' },
    // Declaration files describe, they do not import at run time; leave them out of the graph.
    exclude: { path: '\\.d\\.ts$' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.cjs', '.mjs', '.json'],
      mainFields: ['main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
