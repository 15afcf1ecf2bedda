/**
 * `npm run compose`: refreshes the shared SDL blocks in the subgraph SDL files (schemas/shared/),
 * then writes schemas/supergraph.graphql from the subgraph SDL files.
 */
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { composeSupergraph } from '../schemas/composeSupergraph';
import { SUPERGRAPH_PATH } from '../schemas/loadSubgraphSdl';
import { refreshSdlFiles, subgraphSdlPaths } from '../schemas/sharedSdl';

try {
  // Before composing, so the supergraph is composed from the refreshed copies.
  for (const path of refreshSdlFiles(subgraphSdlPaths())) console.log(`refreshed shared SDL in ${relative(process.cwd(), path)}`);
  const { supergraphSdl, unacceptedHints } = composeSupergraph();
  if (unacceptedHints.length > 0) {
    console.error('Composition gave hints not accepted in schemas/composeSupergraph.ts:');
    for (const h of unacceptedHints) console.error(`- [${h.definition.code}] ${h.message}`);
    process.exitCode = 1;
  } else {
    writeFileSync(SUPERGRAPH_PATH, supergraphSdl.endsWith('\n') ? supergraphSdl : `${supergraphSdl}\n`);
    console.log(`wrote ${SUPERGRAPH_PATH}`);
  }
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
}
