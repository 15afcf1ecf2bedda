/**
 * `npm run subgraph -- <name>`: one subgraph alone, configured by its environment, as an agency
 * runs its own beside its systems (README, "Run one subgraph"):
 *
 *   SUBGRAPH_SECRET=... VEHICLE_URL=https://jdc.example npm run subgraph -- vehicle
 *
 * A missing or bad variable refuses the start, naming it (exit 2). Once up it prints where it
 * listens and one machine-readable line, `READY {"subgraph":"<name>","url":"<url>"}`.
 * SIGTERM or SIGINT stops it as npm start stops: it takes no new connections, finishes the
 * requests in flight, closes its agency connections and exits 0 (gracefulStop.ts).
 */
import type { ServedGraphQL } from '../lib/http/serveGraphQL';
import { SUBGRAPH_NAMES, type SubgraphName } from '../schemas/subgraphs';
import { startTracing, type Tracing } from '../lib/tracing/tracing';
import { loadSubgraphTracing, SUBGRAPH_ENV, SubgraphConfigError } from '../subgraphs/shared/subgraphConfig';
import { SUBGRAPHS } from '../stack/agencies';
import { stopGracefullyOnSignals } from './gracefulStop';

function usage(): string {
  return [
    'Usage: npm run subgraph -- <name>, configured by its environment (README, "Run one subgraph"):',
    ...SUBGRAPH_NAMES.map((name) => `  ${name.padEnd(18)}${SUBGRAPHS[name].variables.join(' ')}`),
    `and, for each, ${Object.keys(SUBGRAPH_ENV).join(' ')}.`,
  ].join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const name = args[0];
  if (args.length !== 1 || !(SUBGRAPH_NAMES as readonly string[]).includes(name!)) {
    console.error(args.length === 0 ? usage() : `No subgraph ${JSON.stringify(args.join(' '))}.\n${usage()}`);
    process.exit(2);
  }
  const subgraph = name as SubgraphName;
  let served: ServedGraphQL;
  let tracing: Tracing;
  try {
    served = await SUBGRAPHS[subgraph].startAlone(process.env);
    // Its traces (OTEL_*), flushed when it stops.
    tracing = startTracing(loadSubgraphTracing(subgraph, process.env));
  } catch (error) {
    if (!(error instanceof SubgraphConfigError)) throw error;
    console.error(`${error.message}\n(The ${subgraph} subgraph reads ${[...Object.keys(SUBGRAPH_ENV), ...SUBGRAPHS[subgraph].variables].join(', ')}.)`);
    process.exit(2);
  }
  const { url } = served;
  console.log(`The ${subgraph} subgraph listens at ${url}; it answers only requests the gateway signed with SUBGRAPH_SECRET.`);
  console.log(`READY ${JSON.stringify({ subgraph, url })}`);
  stopGracefullyOnSignals({
    httpServer: served.httpServer,
    stop: async () => {
      await served.stop();
      await tracing.stop();
    },
    draining: (signal) =>
      `${signal}: the ${subgraph} subgraph takes no new connections and finishes the requests in flight; then its agency connections ${subgraph === 'audit' ? 'and the audit log ' : ''}close (${signal} again after a second, or another signal, exits at once).`,
  });
}

main().catch((error: unknown) => {
  console.error(`npm run subgraph failed: ${(error as Error).message}`);
  process.exit(1);
});
