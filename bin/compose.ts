/** `npm run compose`: writes schemas/supergraph.graphql from the subgraph SDL files. */
import { writeFileSync } from 'node:fs';
import { composeSupergraph } from '../schemas/composeSupergraph';
import { SUPERGRAPH_PATH } from '../schemas/loadSubgraphSdl';

try {
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
