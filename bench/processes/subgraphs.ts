/**
 * The seven subgraphs, in a process of their own, against the agency emulators of the backend
 * process: the subgraphs' heap stays small (the emulated province, ~1.3 GB, lives with the
 * emulators), as it would beside real agencies.
 */
import { subgraphStarters } from '../../stack/startStack';
import { openDatabase } from '../../lib/db/openDatabase';
import type { ServedGraphQL } from '../../lib/http/serveGraphQL';
import { SUBGRAPH_NAMES } from '../../schemas/subgraphs';
import { serveChild } from '../lib/child';

export interface SubgraphsArgs {
  emulatorUrls: Record<string, string>;
  secret: string;
  agencyTimeoutMs: number;
}

serveChild<{ subgraphUrls: Record<string, string> }>(async (args: SubgraphsArgs) => {
  // The audit subgraph's own (empty) log: the gateways under test write their own.
  const database = await openDatabase({ url: undefined });
  const starts = subgraphStarters({ agencyUrl: (agency) => args.emulatorUrls[agency]!, secret: args.secret, database, agencyTimeoutMs: args.agencyTimeoutMs });
  const served: ServedGraphQL[] = [];
  for (const name of SUBGRAPH_NAMES) served.push(await starts[name](0));
  return {
    info: { subgraphUrls: Object.fromEntries(SUBGRAPH_NAMES.map((name, i) => [name, served[i]!.url])) },
    onStop: async () => {
      for (const s of served) await s.stop();
      await database.close();
    },
  };
});
